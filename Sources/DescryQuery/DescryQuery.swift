// DescryQuery: see Docs/ and DESIGN for the role of this module.
