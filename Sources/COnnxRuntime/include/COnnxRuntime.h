// Placeholder: the ONNX Runtime C API subset is declared here by the vision module.
#ifndef DESCRY_CONNXRUNTIME_H
#define DESCRY_CONNXRUNTIME_H
#endif
