extension RelayExchange {
    /// Where this request's tokens are charged: its key's limiter, when keys are configured and
    /// the request carried one.
    var keyCharge: KeyCharge? {
        guard let caller, let limiter = plane.access?.limiter else { return nil }
        return KeyCharge(limiter: limiter, name: caller.name)
    }
}
