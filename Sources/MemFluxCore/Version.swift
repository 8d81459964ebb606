// The MemFlux version, in one place: `memflux-server --version` prints it and
// INFO reports it as memflux_version.

public enum MemFluxVersion {
    public static let current = "0.1.0"
}
