// The part of ONNX Runtime's C API that Descry uses, declared from the published API
// (onnxruntime_c_api.h): the library exports one function, OrtGetApiBase, whose GetApi returns a
// table of function pointers in a fixed order. Only the table's prefix up to the last entry
// Descry calls is declared; entries Descry does not call are untyped placeholders that keep the
// positions right. The library itself is loaded at run time with dlopen (see loader.c), so the
// package builds and its other parts run without it.
#ifndef DESCRY_CONNXRUNTIME_H
#define DESCRY_CONNXRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Opaque handles.
typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtAllocator OrtAllocator;

// Enumerations (values as published).
typedef enum DescryOrtElementType {
    DESCRY_ORT_UNDEFINED = 0,
    DESCRY_ORT_FLOAT = 1,
    DESCRY_ORT_UINT8 = 2,
    DESCRY_ORT_INT8 = 3,
    DESCRY_ORT_UINT16 = 4,
    DESCRY_ORT_INT16 = 5,
    DESCRY_ORT_INT32 = 6,
    DESCRY_ORT_INT64 = 7,
    DESCRY_ORT_STRING = 8,
    DESCRY_ORT_BOOL = 9,
    DESCRY_ORT_FLOAT16 = 10,
    DESCRY_ORT_DOUBLE = 11,
} DescryOrtElementType;

typedef enum DescryOrtLoggingLevel {
    DESCRY_ORT_LOG_VERBOSE = 0,
    DESCRY_ORT_LOG_INFO = 1,
    DESCRY_ORT_LOG_WARNING = 2,
    DESCRY_ORT_LOG_ERROR = 3,
    DESCRY_ORT_LOG_FATAL = 4,
} DescryOrtLoggingLevel;

typedef enum DescryOrtGraphOptimizationLevel {
    DESCRY_ORT_DISABLE_ALL = 0,
    DESCRY_ORT_ENABLE_BASIC = 1,
    DESCRY_ORT_ENABLE_EXTENDED = 2,
    DESCRY_ORT_ENABLE_ALL = 99,
} DescryOrtGraphOptimizationLevel;

typedef enum DescryOrtONNXType {
    DESCRY_ORT_TYPE_UNKNOWN = 0,
    DESCRY_ORT_TYPE_TENSOR = 1,
} DescryOrtONNXType;

typedef enum DescryOrtAllocatorType {
    DESCRY_ORT_DEVICE_ALLOCATOR = 0,
    DESCRY_ORT_ARENA_ALLOCATOR = 1,
} DescryOrtAllocatorType;

typedef enum DescryOrtMemType {
    DESCRY_ORT_MEM_DEFAULT = 0,
} DescryOrtMemType;

typedef void *DescryOrtUnused;

// The function table, entries 0 ... 100 (ReleaseSessionOptions).
typedef struct DescryOrtApi {
    DescryOrtUnused CreateStatus;                                                     // 0
    int (*GetErrorCode)(const OrtStatus *status);
    const char *(*GetErrorMessage)(const OrtStatus *status);
    OrtStatus *(*CreateEnv)(int log_level, const char *log_id, OrtEnv **out);
    DescryOrtUnused CreateEnvWithCustomLogger;
    DescryOrtUnused EnableTelemetryEvents;                                            // 5
    DescryOrtUnused DisableTelemetryEvents;
    OrtStatus *(*CreateSession)(const OrtEnv *env, const char *model_path,
                                const OrtSessionOptions *options, OrtSession **out);
    DescryOrtUnused CreateSessionFromArray;
    OrtStatus *(*Run)(OrtSession *session, const OrtRunOptions *run_options,
                      const char *const *input_names, const OrtValue *const *inputs, size_t input_count,
                      const char *const *output_names, size_t output_count, OrtValue **outputs);
    OrtStatus *(*CreateSessionOptions)(OrtSessionOptions **out);                      // 10
    OrtStatus *(*SetOptimizedModelFilePath)(OrtSessionOptions *options, const char *optimized_model_path);
    DescryOrtUnused CloneSessionOptions;
    DescryOrtUnused SetSessionExecutionMode;
    DescryOrtUnused EnableProfiling;
    DescryOrtUnused DisableProfiling;                                                 // 15
    DescryOrtUnused EnableMemPattern;
    DescryOrtUnused DisableMemPattern;
    DescryOrtUnused EnableCpuMemArena;
    DescryOrtUnused DisableCpuMemArena;
    DescryOrtUnused SetSessionLogId;                                                  // 20
    DescryOrtUnused SetSessionLogVerbosityLevel;
    OrtStatus *(*SetSessionLogSeverityLevel)(OrtSessionOptions *options, int level);
    OrtStatus *(*SetSessionGraphOptimizationLevel)(OrtSessionOptions *options, int level);
    OrtStatus *(*SetIntraOpNumThreads)(OrtSessionOptions *options, int threads);
    OrtStatus *(*SetInterOpNumThreads)(OrtSessionOptions *options, int threads);     // 25
    DescryOrtUnused CreateCustomOpDomain;
    DescryOrtUnused CustomOpDomain_Add;
    DescryOrtUnused AddCustomOpDomain;
    DescryOrtUnused RegisterCustomOpsLibrary;
    OrtStatus *(*SessionGetInputCount)(const OrtSession *session, size_t *out);      // 30
    OrtStatus *(*SessionGetOutputCount)(const OrtSession *session, size_t *out);
    DescryOrtUnused SessionGetOverridableInitializerCount;
    OrtStatus *(*SessionGetInputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out);
    OrtStatus *(*SessionGetOutputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out);
    DescryOrtUnused SessionGetOverridableInitializerTypeInfo;                         // 35
    OrtStatus *(*SessionGetInputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char **out);
    OrtStatus *(*SessionGetOutputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char **out);
    DescryOrtUnused SessionGetOverridableInitializerName;
    DescryOrtUnused CreateRunOptions;
    DescryOrtUnused RunOptionsSetRunLogVerbosityLevel;                                // 40
    DescryOrtUnused RunOptionsSetRunLogSeverityLevel;
    DescryOrtUnused RunOptionsSetRunTag;
    DescryOrtUnused RunOptionsGetRunLogVerbosityLevel;
    DescryOrtUnused RunOptionsGetRunLogSeverityLevel;
    DescryOrtUnused RunOptionsGetRunTag;                                              // 45
    DescryOrtUnused RunOptionsSetTerminate;
    DescryOrtUnused RunOptionsUnsetTerminate;
    DescryOrtUnused CreateTensorAsOrtValue;
    OrtStatus *(*CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *data, size_t data_bytes,
                                                 const int64_t *shape, size_t rank, int element_type,
                                                 OrtValue **out);
    DescryOrtUnused IsTensor;                                                         // 50
    OrtStatus *(*GetTensorMutableData)(OrtValue *value, void **out);
    DescryOrtUnused FillStringTensor;
    DescryOrtUnused GetStringTensorDataLength;
    DescryOrtUnused GetStringTensorContent;
    OrtStatus *(*CastTypeInfoToTensorInfo)(const OrtTypeInfo *info, const OrtTensorTypeAndShapeInfo **out); // 55
    OrtStatus *(*GetOnnxTypeFromTypeInfo)(const OrtTypeInfo *info, int *out);
    DescryOrtUnused CreateTensorTypeAndShapeInfo;
    DescryOrtUnused SetTensorElementType;
    DescryOrtUnused SetDimensions;
    OrtStatus *(*GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info, int *out);  // 60
    OrtStatus *(*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    OrtStatus *(*GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *dims, size_t count);
    OrtStatus *(*GetSymbolicDimensions)(const OrtTensorTypeAndShapeInfo *info, const char **names, size_t count);
    OrtStatus *(*GetTensorShapeElementCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    OrtStatus *(*GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out); // 65
    DescryOrtUnused GetTypeInfo;
    DescryOrtUnused GetValueType;
    DescryOrtUnused CreateMemoryInfo;
    OrtStatus *(*CreateCpuMemoryInfo)(int allocator_type, int mem_type, OrtMemoryInfo **out);
    DescryOrtUnused CompareMemoryInfo;                                                // 70
    DescryOrtUnused MemoryInfoGetName;
    DescryOrtUnused MemoryInfoGetId;
    DescryOrtUnused MemoryInfoGetMemType;
    DescryOrtUnused MemoryInfoGetType;
    DescryOrtUnused AllocatorAlloc;                                                   // 75
    OrtStatus *(*AllocatorFree)(OrtAllocator *allocator, void *pointer);
    DescryOrtUnused AllocatorGetInfo;
    OrtStatus *(*GetAllocatorWithDefaultOptions)(OrtAllocator **out);
    DescryOrtUnused AddFreeDimensionOverride;
    DescryOrtUnused GetValue;                                                         // 80
    DescryOrtUnused GetValueCount;
    DescryOrtUnused CreateValue;
    DescryOrtUnused CreateOpaqueValue;
    DescryOrtUnused GetOpaqueValue;
    DescryOrtUnused KernelInfoGetAttribute_float;                                     // 85
    DescryOrtUnused KernelInfoGetAttribute_int64;
    DescryOrtUnused KernelInfoGetAttribute_string;
    DescryOrtUnused KernelContext_GetInputCount;
    DescryOrtUnused KernelContext_GetOutputCount;
    DescryOrtUnused KernelContext_GetInput;                                           // 90
    DescryOrtUnused KernelContext_GetOutput;
    void (*ReleaseEnv)(OrtEnv *value);
    void (*ReleaseStatus)(OrtStatus *value);
    void (*ReleaseMemoryInfo)(OrtMemoryInfo *value);
    void (*ReleaseSession)(OrtSession *value);                                        // 95
    void (*ReleaseValue)(OrtValue *value);
    DescryOrtUnused ReleaseRunOptions;
    void (*ReleaseTypeInfo)(OrtTypeInfo *value);
    void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *value);
    void (*ReleaseSessionOptions)(OrtSessionOptions *value);                          // 100
} DescryOrtApi;

/// A loaded ONNX Runtime: the library handle, its function table and version string.
typedef struct DescryOrtLibrary {
    void *handle;
    const DescryOrtApi *api;
    const char *version;
    /// OrtSessionOptionsAppendExecutionProvider_CUDA when the library exports it (GPU builds).
    OrtStatus *(*append_cuda)(OrtSessionOptions *options, int device_id);
} DescryOrtLibrary;

/// dlopen()s `path` and fetches the API table for `api_version`. Returns 0 on success; otherwise
/// writes the reason (dlerror's text, a missing symbol, an unsupported version) into err.
int descry_ort_open(const char *path, uint32_t api_version, DescryOrtLibrary *out, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
