/// Running statistics of one aggregate group: Welford's mean/variance (stable where the
/// textbook sum-of-squares formula cancels) and, for the median, the values themselves.
final class StatisticsAccumulator {
    var count = 0
    var mean = 0.0
    var m2 = 0.0
    var values: [Double] = []

    func add(_ x: Double, keepValues: Bool) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if keepValues { values.append(x) }
    }
}
