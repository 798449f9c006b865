#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call; this sets SQLITE_CONFIG_MEMSTATUS.
/// Must run before SQLite initialises (before the first connection opens).
static inline int descry_sqlite3_config_memstatus(int enabled) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, enabled);
}
