import Testing

@testable import Bench

/// The network bytes of bench's resource timeline come from /proc/<pid>/io.
struct IOCountersTests {
    static let proc = """
        rchar: 6976
        wchar: 1200
        syscr: 10
        syscw: 3
        read_bytes: 0
        write_bytes: 0
        cancelled_write_bytes: 0
        """

    @Test func readsTheBytesPassedToReadAndWriteCalls() {
        #expect(IOCounters.parse(Self.proc) == IOCounters(readBytes: 6976, writtenBytes: 1200))
        #expect(IOCounters.parse("syscr: 10\n") == nil)
        #expect(IOCounters.parse("rchar: lots\nwchar: 1\n") == nil)
    }

    @Test func ratesAreBytesPerSecondSinceTheEarlierReadingAsNetworkKeys() {
        let earlier = IOCounters(readBytes: 1000, writtenBytes: 500)
        let later = IOCounters(readBytes: 5000, writtenBytes: 2500)
        #expect(later.rates(since: earlier, seconds: 2) == ["net_rx_bytes_per_second": 2000, "net_tx_bytes_per_second": 1000])
        #expect(later.rates(since: earlier, seconds: 0) == [:])
    }

    @Test func thisProcessHasCounters() throws {
        let counters = try #require(IOCounters.readSelf())
        #expect(counters.readBytes > 0)
    }
}
