/// Copies the process's resource use into the catalog's `process_*` gauges.
public struct ProcessMetrics: Sendable {
    let cpu: MetricFamily
    let resident: MetricFamily
    let virtual: MetricFamily
    let openFDs: MetricFamily
    let maxFDs: MetricFamily
    let startTime: MetricFamily
    let threads: MetricFamily
    let heap: MetricFamily
    /// The CPU seconds already added to the counter (a counter only moves by increments).
    private let reportedCPU = CPUTally()

    public init(metrics: Metrics) {
        cpu = metrics.family(MetricCatalog.processCPU)
        resident = metrics.family(MetricCatalog.processResident)
        virtual = metrics.family(MetricCatalog.processVirtual)
        openFDs = metrics.family(MetricCatalog.processOpenFDs)
        maxFDs = metrics.family(MetricCatalog.processMaxFDs)
        startTime = metrics.family(MetricCatalog.processStartTime)
        threads = metrics.family(MetricCatalog.processThreads)
        heap = metrics.family(MetricCatalog.processHeap)
    }

    /// Reads the process's numbers now and sets the gauges; returns what it read.
    @discardableResult
    public func update() throws -> ProcessStats {
        let stats = try ProcessStats.read()
        apply(stats)
        return stats
    }

    /// Sets the gauges from `stats`.
    public func apply(_ stats: ProcessStats) {
        cpu.increment(byDouble: reportedCPU.advance(to: stats.cpuSeconds))
        resident.set(Double(stats.residentBytes))
        virtual.set(Double(stats.virtualBytes))
        openFDs.set(Double(stats.openFDs))
        maxFDs.set(Double(stats.maxFDs))
        startTime.set(stats.startTimeSeconds)
        threads.set(Double(stats.threads))
        heap.set(Double(stats.heap.inUseBytes), "in_use")
        heap.set(Double(stats.heap.freeBytes), "free")
        heap.set(Double(stats.heap.releasableBytes), "releasable")
        heap.set(Double(stats.heap.arenaBytes), "arena")
        heap.set(Double(stats.heap.mmapBytes), "mmap")
    }
}
