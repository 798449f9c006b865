#include "COnnxRuntime.h"
#include <dlfcn.h>
#include <stdio.h>

// Position checks: the table must line up with the published order.
_Static_assert(offsetof(DescryOrtApi, Run) == 9 * sizeof(void *), "OrtApi.Run is entry 9");
_Static_assert(offsetof(DescryOrtApi, SetOptimizedModelFilePath) == 11 * sizeof(void *), "entry 11");
_Static_assert(offsetof(DescryOrtApi, SessionGetInputName) == 36 * sizeof(void *), "entry 36");
_Static_assert(offsetof(DescryOrtApi, CreateTensorWithDataAsOrtValue) == 49 * sizeof(void *), "entry 49");
_Static_assert(offsetof(DescryOrtApi, CreateCpuMemoryInfo) == 69 * sizeof(void *), "entry 69");
_Static_assert(offsetof(DescryOrtApi, ReleaseEnv) == 92 * sizeof(void *), "entry 92");
_Static_assert(offsetof(DescryOrtApi, ReleaseSessionOptions) == 100 * sizeof(void *), "entry 100");

// OrtApiBase: GetApi(version) and GetVersionString(), in that order.
typedef struct DescryOrtApiBase {
    const DescryOrtApi *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} DescryOrtApiBase;

int descry_ort_open(const char *path, uint32_t api_version, DescryOrtLibrary *out, char *err, size_t err_len) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(err, err_len, "%s", why ? why : "dlopen failed");
        return 1;
    }
    const DescryOrtApiBase *(*get_base)(void) = (const DescryOrtApiBase *(*)(void))dlsym(handle, "OrtGetApiBase");
    if (!get_base) {
        snprintf(err, err_len, "no OrtGetApiBase symbol (not an ONNX Runtime library)");
        dlclose(handle);
        return 1;
    }
    const DescryOrtApiBase *base = get_base();
    const DescryOrtApi *api = base ? base->GetApi(api_version) : NULL;
    if (!api) {
        snprintf(err, err_len, "library version %s does not provide C API version %u",
                 base && base->GetVersionString ? base->GetVersionString() : "?", api_version);
        dlclose(handle);
        return 1;
    }
    out->handle = handle;
    out->api = api;
    out->version = base->GetVersionString ? base->GetVersionString() : "";
    out->append_cuda = (OrtStatus * (*)(OrtSessionOptions *, int))dlsym(handle, "OrtSessionOptionsAppendExecutionProvider_CUDA");
    return 0;
}
