import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StageKit

/// Asks an OpenAI-compatible chat-completions endpoint for the program of a problem that has no annotations, and
/// keeps every reply in the stage's cache folder keyed by the request, so that a rerun gives the same programs
/// without asking again (and works offline once the cache is filled).
///
/// The reply is never trusted: it becomes a provided program that the interpreter verifies against the gold
/// answer like any other.
struct ModelBackendClient: Sendable {
    let backend: MathSynthesizeParameters.ModelBackend
    let cacheDirectory: String?
    /// Seconds to wait for one reply.
    static let timeout: TimeInterval = 120
    /// The longest reply kept (a program is a few hundred bytes).
    static let maxReplyBytes = 256 << 10

    /// The instructions, in the InfinityMATH style: one function whose parameters are the question's numbers.
    static let systemPrompt = """
        You turn math word problems into Python programs. Write one function named solution. Give it one parameter \
        per number in the question, named after what the number counts, with the number as its default value. \
        Compute the answer from the parameters only, in small named steps, and return it. Reply with the code only, \
        in a ```python block.
        """

    /// The request body for a question: canonical JSON, so its digest is the cache key.
    func requestBody(question: String) -> [UInt8] {
        CanonicalJSON.bytes([
            "model": .string(backend.model), "temperature": 0,
            "messages": [["role": "system", "content": .string(Self.systemPrompt)], ["role": "user", "content": .string(question)]],
        ])
    }

    /// The program the model gives for `question`, from the cache when it was asked before.
    func program(question: String) throws -> String {
        let body = requestBody(question: question)
        let key = StableHash.sha256Hex(Array(backend.url.utf8) + [0] + body)
        let cached = cacheDirectory.map { $0 + "/" + key + ".txt" }
        if let cached, FileKind.of(cached) == .regular {
            return String(decoding: try FileSystem.read(cached, limit: Self.maxReplyBytes), as: UTF8.self)
        }
        let reply = Self.code(in: try ask(body))
        if let cached, let directory = cacheDirectory {
            try FileSystem.makeDirectory(directory)
            try FileSystem.writeAtomically(Array(reply.utf8), to: cached)
        }
        return reply
    }

    /// One chat-completions call; its reply's message text.
    private func ask(_ body: [UInt8]) throws -> String {
        guard let url = URL(string: backend.url), ["http", "https"].contains(url.scheme ?? "") else {
            throw MathReject("math.backend", .error, "the back end URL '\(backend.url)' is not an http(s) URL")
        }
        var request = URLRequest(url: url, timeoutInterval: Self.timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = ProcessInfo.processInfo.environment[backend.keyEnv], !key.isEmpty {
            request.setValue("Bearer " + key, forHTTPHeaderField: "Authorization")
        }
        let outcome = Self.send(request)
        guard let data = outcome.data, let status = outcome.status else {
            throw MathReject("math.backend", .error, "no reply from \(backend.url): \(outcome.error ?? "unknown error")")
        }
        guard (200..<300).contains(status) else {
            throw MathReject("math.backend", .error, "\(backend.url) answered HTTP \(status)")
        }
        guard data.count <= Self.maxReplyBytes, let value = try? JSONParser.parse([UInt8](data)),
            let content = value["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
        else {
            throw MathReject("math.backend", .error, "the reply of \(backend.url) has no choices[0].message.content")
        }
        return content
    }

    /// Sends a request and waits for it: a map task runs on a worker thread that may block.
    private static func send(_ request: URLRequest) -> (data: Data?, status: Int?, error: String?) {
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error.map { "\($0.localizedDescription)" })
            done.signal()
        }.resume()
        done.wait()
        return box.value
    }

    /// The code of a reply: the first fenced block when there is one, else the whole text.
    static func code(in reply: String) -> String {
        let lines = reply.split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }),
            let close = lines[(open + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "```" })
        else { return reply }
        return lines[(open + 1)..<close].joined(separator: "\n") + "\n"
    }
}

/// A reply handed from URLSession's queue to the waiting thread.
private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (data: Data?, status: Int?, error: String?) = (nil, nil, nil)

    func set(data: Data?, status: Int?, error: String?) {
        lock.lock()
        stored = (data, status, error)
        lock.unlock()
    }

    var value: (data: Data?, status: Int?, error: String?) {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
