import Foundation
import CPipeBuildInfo

/// The version of this pipe build, part of every stage's run key and of every manifest.
public enum PipeVersion {
    /// The release number of the source tree.
    public static let release = "0.1.0"

    /// The git commit the binary was built from, when the Makefile passed it in.
    public static var commit: String? {
        let text = String(cString: pipe_build_commit())
        return text.isEmpty ? nil : text
    }

    /// `0.1.0` or `0.1.0+<commit>`: what `pipe --version` prints.
    public static var full: String {
        if let commit { return "\(release)+\(commit)" }
        return release
    }

    /// The date metadata files carry (YYYY-MM-DD): `SOURCE_DATE_EPOCH` when set, else the commit
    /// date of this build, else nil and the date is left out.
    public static func metadataDate(environment: [String: String]) -> String? {
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }) {
            return isoDate(epochSeconds: epoch)
        }
        let commitTime = pipe_build_commit_time()
        return commitTime >= 0 ? isoDate(epochSeconds: commitTime) : nil
    }

    /// A UTC calendar date from seconds since 1970, by the civil-from-days algorithm (no time zone).
    static func isoDate(epochSeconds: Int64) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
