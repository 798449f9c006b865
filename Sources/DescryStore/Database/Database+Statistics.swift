import CSQLite

/// The accumulator stored in SQLite's per-group aggregate context, created on first use.
private func accumulator(_ ctx: OpaquePointer?, create: Bool) -> StatisticsAccumulator? {
    let size = Int32(MemoryLayout<UnsafeMutableRawPointer?>.size)
    guard let raw = sqlite3_aggregate_context(ctx, create ? size : 0) else { return nil }
    let slot = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    if let p = slot.pointee { return Unmanaged<StatisticsAccumulator>.fromOpaque(p).takeUnretainedValue() }
    guard create else { return nil }
    let acc = StatisticsAccumulator()
    slot.pointee = Unmanaged.passRetained(acc).toOpaque()
    return acc
}

/// Takes the accumulator out of the context, releasing SQLite's reference.
private func finish(_ ctx: OpaquePointer?) -> StatisticsAccumulator? {
    guard let raw = sqlite3_aggregate_context(ctx, 0) else { return nil }
    let slot = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    guard let p = slot.pointee else { return nil }
    slot.pointee = nil
    return Unmanaged<StatisticsAccumulator>.fromOpaque(p).takeRetainedValue()
}

private func step(_ ctx: OpaquePointer?, _ argv: UnsafeMutablePointer<OpaquePointer?>?, keepValues: Bool) {
    guard let v = argv?[0], sqlite3_value_type(v) != SQLITE_NULL else { return }  // NULLs are skipped, like avg()
    accumulator(ctx, create: true)?.add(sqlite3_value_double(v), keepValues: keepValues)
}

private let stddevStep: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { ctx, _, argv in
    step(ctx, argv, keepValues: false)
}
private let stddevFinal: @convention(c) (OpaquePointer?) -> Void = { ctx in
    guard let acc = finish(ctx), acc.count >= 2 else { sqlite3_result_null(ctx); return }
    sqlite3_result_double(ctx, (acc.m2 / Double(acc.count - 1)).squareRoot())
}
private let medianStep: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { ctx, _, argv in
    step(ctx, argv, keepValues: true)
}
private let medianFinal: @convention(c) (OpaquePointer?) -> Void = { ctx in
    guard let acc = finish(ctx), !acc.values.isEmpty else { sqlite3_result_null(ctx); return }
    let v = acc.values.sorted()
    let mid = v.count / 2
    sqlite3_result_double(ctx, v.count % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2)
}

private let sqrtFunction: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { ctx, _, argv in
    guard let v = argv?[0], sqlite3_value_type(v) != SQLITE_NULL else { sqlite3_result_null(ctx); return }
    let x = sqlite3_value_double(v)
    if x < 0 { sqlite3_result_null(ctx) } else { sqlite3_result_double(ctx, x.squareRoot()) }
}

extension Database {
    /// Registers the aggregates SQLite lacks on this connection: `descry_stddev(x)` (sample
    /// standard deviation, NULL for fewer than two values) and `descry_median(x)` (mean of the
    /// two middle values for an even count), and the scalar `descry_sqrt(x)` (NULL for
    /// negative x; SQLite's own math functions are an optional build feature). NULL inputs
    /// are skipped. Safe to call again.
    public func registerStatisticsFunctions() throws {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        let rc = sqlite3_create_function_v2(handle, "descry_sqrt", 1, flags, nil, sqrtFunction, nil, nil, nil)
        if rc != SQLITE_OK { throw error(code: rc, sql: nil) }
        for (name, s, f) in [("descry_stddev", stddevStep, stddevFinal), ("descry_median", medianStep, medianFinal)] {
            let rc = sqlite3_create_function_v2(handle, name, 1, flags, nil, nil, s, f, nil)
            if rc != SQLITE_OK { throw error(code: rc, sql: nil) }
        }
    }
}
