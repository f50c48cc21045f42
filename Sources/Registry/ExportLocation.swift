import Engine
import Foundation
import StageKit

/// Where an export the catalog records is now. The catalog keeps the folder as it was named when the export was
/// made, which is relative to the folder pipe ran in when the workspace was given as a relative path.
public enum ExportLocation {
    /// The export's folder, absolute: the recorded folder (relative ones taken from `currentDirectory`) when it has
    /// a manifest, else the workspace's default folder for the dataset when that has one, else nil.
    public static func resolve(_ row: DatasetRow, workspace: Workspace, currentDirectory: String) -> String? {
        let candidates = [row.exportDirectory, workspace.exportDirectory(dataset: row.name)]
        for candidate in candidates {
            let folder = absolute(candidate, from: currentDirectory)
            if FileSystem.exists(folder + "/manifest.json").exists { return folder }
        }
        return nil
    }

    /// `path` made absolute from `directory`, with `.` and `..` resolved.
    public static func absolute(_ path: String, from directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return (joined as NSString).standardizingPath
    }
}
