#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// POSIX file access for XMLReader.parse(path:); one of the two files allowed to use pointers.
enum FileInput {
    static func readRegularFile(path: String, maxBytes: Int) throws -> [UInt8] {
        // O_NONBLOCK keeps open() on a FIFO from waiting for a writer; fstat on the
        // descriptor then decides, so nothing can be swapped in between check and read.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw XMLReadError(code: .io, message: "cannot open: \(errorText(errno))", document: path)
        }
        defer { _ = close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw XMLReadError(code: .io, message: "cannot stat: \(errorText(errno))", document: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw XMLReadError(
                code: .notRegular,
                message: "not a regular file (\(kindName(info.st_mode & S_IFMT)))",
                document: path
            )
        }
        let declaredSize = Int(info.st_size)
        guard declaredSize <= maxBytes else {
            throw XMLReadError(
                code: .tooLarge,
                message: "file is \(declaredSize) bytes, more than the \(maxBytes)-byte cap",
                document: path
            )
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(declaredSize + 1)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw XMLReadError(code: .io, message: "cannot read: \(errorText(code))", document: path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            // The file may have grown since fstat, so the cap is enforced on what was actually read.
            guard bytes.count <= maxBytes else {
                throw XMLReadError(
                    code: .tooLarge,
                    message: "file grew past the \(maxBytes)-byte cap while being read",
                    document: path
                )
            }
        }
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    private static func kindName(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "directory"
        case S_IFIFO: return "FIFO"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFSOCK: return "socket"
        case S_IFLNK: return "symbolic link"
        default: return "unknown file type"
        }
    }
}
