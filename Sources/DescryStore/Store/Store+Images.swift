/// Images: shorthands for `images` (`ImageRepository`), which owns the table.
extension Store {
    /// Registers labelled images for a dataset in one transaction (see `ImageRepository.add`).
    public func addImages(_ list: ImageList, dataset: String, split: String? = nil, skipUnknown: Bool = false) throws -> ImageImportReport {
        try images.add(list, dataset: dataset, split: split, skipUnknown: skipUnknown)
    }

    /// The images of a dataset, by path.
    public func images(ofDataset datasetID: Int64) throws -> [ImageRecord] { try images.all(datasetID: datasetID) }
}
