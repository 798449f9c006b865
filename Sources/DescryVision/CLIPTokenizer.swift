import CVisionSupport
import DescryStore
import Dispatch
import Foundation

/// CLIP's byte-level BPE tokenizer, id-for-id equal to open_clip's `SimpleTokenizer`.
///
/// Text is cleaned as open_clip cleans it (see ``CLIPTextCleaner``), split by open_clip's
/// pre-tokenization pattern (written out by hand, not as a regex), and each piece is BPE-encoded
/// with `</w>` marking its end. ``tokenize(_:threads:)`` adds the start and end tokens, truncates
/// to ``contextLength`` keeping the end token, and pads with zeros.
///
/// ```swift
/// let tokenizer = try CLIPTokenizer(openCLIPVocabulary: URL(fileURLWithPath: ".deps/clip/bpe_simple_vocab_16e6.txt.gz"))
/// let batch = tokenizer.tokenize(["a photo of a beagle.", "a photo of a pug."])
/// ```
public struct CLIPTokenizer: Sendable {
    /// The context length of every published CLIP text tower.
    public static let defaultContextLength = 77
    /// Where `make deps` unpacks open_clip's vocabulary, relative to the package root.
    public static let defaultVocabularyPath = ResourceLocator.Resource.clipVocabulary.checkout

    /// Tokens per tokenized text, start and end included.
    public let contextLength: Int
    let vocabulary: BPEVocabulary

    /// Id of the start-of-text token (49406 for CLIP).
    public var startTokenID: Int32 { vocabulary.startID }
    /// Id of the end-of-text token (49407 for CLIP).
    public var endTokenID: Int32 { vocabulary.endID }
    /// Number of token ids (49408 for CLIP).
    public var vocabularySize: Int { vocabulary.size }

    /// Loads open_clip's gzipped merges file (`bpe_simple_vocab_16e6.txt.gz`): a header line, then
    /// merges, of which CLIP uses the first 48,894 (49,152 − 256 − 2).
    public init(openCLIPVocabulary url: URL, contextLength: Int = CLIPTokenizer.defaultContextLength) throws {
        guard contextLength >= 2 else {
            throw VisionError.invalidArgument("context length must be at least 2, got \(contextLength)")
        }
        let text = try Self.readText(url, gzipped: true)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let mergeCount = 49152 - 256 - 2
        guard lines.count > mergeCount else {
            throw VisionError.badVocabulary(
                path: url.path, reason: "expected at least \(mergeCount + 1) lines, found \(lines.count)")
        }
        var merges: [(Substring, Substring)] = []
        merges.reserveCapacity(mergeCount)
        for (index, line) in lines[1...mergeCount].enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw VisionError.badVocabulary(path: url.path, reason: "line \(index + 2) is not a merge pair: '\(line)'")
            }
            merges.append((parts[0], parts[1]))
        }
        // Vocabulary order: 256 byte symbols, the same with `</w>`, one symbol per merge, specials.
        var vocab: [String: Int32] = [:]
        vocab.reserveCapacity(49408)
        var next: Int32 = 0
        func add(_ s: String) { vocab[s] = next; next += 1 }
        let base = BPEVocabulary.byteOrder.map { String(Character(BPEVocabulary.byteCharacters[$0])) }
        base.forEach(add)
        base.forEach { add($0 + "</w>") }
        for (a, b) in merges { add(String(a) + String(b)) }
        let specials = ["<start_of_text>", "<end_of_text>"]
        specials.forEach(add)
        self.vocabulary = try BPEVocabulary(vocabulary: vocab, merges: merges, specials: specials, path: url.path)
        self.contextLength = contextLength
    }

    /// Loads Hugging Face's `vocab.json` (token → id) and `merges.txt` (`#version` line, then
    /// merges in rank order), with `<|startoftext|>` and `<|endoftext|>` as special tokens.
    /// Text is still cleaned and split the open_clip way, so ids equal open_clip's.
    public init(huggingFaceVocabulary vocabURL: URL, merges mergesURL: URL,
                contextLength: Int = CLIPTokenizer.defaultContextLength) throws {
        guard contextLength >= 2 else {
            throw VisionError.invalidArgument("context length must be at least 2, got \(contextLength)")
        }
        let json = try Self.readData(vocabURL)
        guard let object = try? JSONSerialization.jsonObject(with: json), let dict = object as? [String: Any] else {
            throw VisionError.badVocabulary(path: vocabURL.path, reason: "not a JSON object of token → id")
        }
        var vocab: [String: Int32] = [:]
        vocab.reserveCapacity(dict.count)
        for (token, value) in dict {
            guard let id = (value as? NSNumber)?.int32Value else {
                throw VisionError.badVocabulary(path: vocabURL.path, reason: "id of '\(token)' is not a number")
            }
            vocab[token] = id
        }
        let text = try Self.readText(mergesURL, gzipped: false)
        var merges: [(Substring, Substring)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if index == 0 && line.hasPrefix("#version") { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw VisionError.badVocabulary(path: mergesURL.path, reason: "line \(index + 1) is not a merge pair: '\(line)'")
            }
            merges.append((parts[0], parts[1]))
        }
        self.vocabulary = try BPEVocabulary(
            vocabulary: vocab, merges: merges, specials: ["<|startoftext|>", "<|endoftext|>"], path: vocabURL.path)
        self.contextLength = contextLength
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var loadedVocabularies: [String: BPEVocabulary] = [:]

    /// Like ``init(openCLIPVocabulary:contextLength:)`` but parses each file once per process
    /// (the vocabulary tables are immutable and shared), so loading several models is cheap.
    public static func shared(openCLIPVocabulary url: URL, contextLength: Int = defaultContextLength) throws -> CLIPTokenizer {
        let key = url.standardizedFileURL.path
        cacheLock.lock()
        let hit = loadedVocabularies[key]
        cacheLock.unlock()
        if let hit { return try CLIPTokenizer(vocabulary: hit, contextLength: 2).withContextLength(contextLength) }
        let tokenizer = try CLIPTokenizer(openCLIPVocabulary: url, contextLength: contextLength)
        cacheLock.lock()
        loadedVocabularies[key] = tokenizer.vocabulary
        cacheLock.unlock()
        return tokenizer
    }

    /// Finds open_clip's vocabulary by Descry's resource rule (``ResourceLocator``):
    /// `$DESCRY_CLIP_VOCAB`, the checkout's `.deps/clip/` above a `.build/` executable or an
    /// install's `../share/descry/clip/` beside it, then `./.deps/clip/`. Throws
    /// ``ResourceNotFound`` listing every place tried.
    public static func locateDefaultVocabulary(locator: ResourceLocator = .current) throws -> URL {
        URL(fileURLWithPath: try locator.locate(.clipVocabulary).path)
    }

    /// The same tokenizer with another context length.
    public func withContextLength(_ length: Int) throws -> CLIPTokenizer {
        guard length >= 2 else { throw VisionError.invalidArgument("context length must be at least 2, got \(length)") }
        return CLIPTokenizer(vocabulary: vocabulary, contextLength: length)
    }

    private init(vocabulary: BPEVocabulary, contextLength: Int) {
        self.vocabulary = vocabulary
        self.contextLength = contextLength
    }

    /// BPE ids of `text` without start/end tokens and without truncation (open_clip's `encode`).
    public func encode(_ text: String) -> [Int32] {
        var encoder = CLIPTextEncoder(vocabulary: vocabulary)
        var out: [Int32] = []
        encoder.encode(text, into: &out)
        return out
    }

    /// One text as ``contextLength`` ids: start, BPE ids, end, zero padding.
    public func tokenize(_ text: String) -> [Int32] {
        tokenize([text], threads: 1).ids
    }

    /// A batch of texts, tokenized on `threads` threads (0 = all cores); each thread keeps its
    /// own merge cache for the duration of the call.
    public func tokenize(_ texts: [String], threads: Int = 0) -> TokenBatch {
        let count = texts.count
        let ctx = contextLength
        var ids = [Int32](repeating: 0, count: count * ctx)
        var lengths = [Int](repeating: 0, count: count)
        let workers = max(1, min(threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount,
                                 (count + 255) / 256))
        let vocabulary = self.vocabulary
        ids.withUnsafeMutableBufferPointer { idBuffer in
            lengths.withUnsafeMutableBufferPointer { lengthBuffer in
                guard let idStart = idBuffer.baseAddress, let lengthStart = lengthBuffer.baseAddress else { return }
                // Each worker writes only its own rows lo..<hi of both buffers.
                let idBase = DisjointSlots(base: idStart), lengthBase = DisjointSlots(base: lengthStart)
                let work = { @Sendable (worker: Int) in
                    var encoder = CLIPTextEncoder(vocabulary: vocabulary)
                    var row: [Int32] = []
                    row.reserveCapacity(ctx * 2)
                    let lo = count * worker / workers, hi = count * (worker + 1) / workers
                    for t in lo..<hi {
                        row.removeAll(keepingCapacity: true)
                        row.append(vocabulary.startID)
                        encoder.encode(texts[t], into: &row)
                        row.append(vocabulary.endID)
                        if row.count > ctx {
                            row.removeLast(row.count - ctx)
                            row[ctx - 1] = vocabulary.endID
                        }
                        let dest = idBase.base + t * ctx
                        row.withUnsafeBufferPointer { src in
                            if let from = src.baseAddress { dest.update(from: from, count: src.count) }
                        }
                        lengthBase.base[t] = row.count
                    }
                }
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            }
        }
        return TokenBatch(count: count, contextLength: ctx, ids: ids, lengths: lengths)
    }

    // MARK: files

    static func readData(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw VisionError.unreadableFile(path: url.path, reason: "no such file")
        }
        do { return try Data(contentsOf: url) } catch {
            throw VisionError.unreadableFile(path: url.path, reason: "\(error.localizedDescription)")
        }
    }

    static func readText(_ url: URL, gzipped: Bool) throws -> String {
        var data = try readData(url)
        if gzipped || (data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B) {
            data = try gunzip(data, path: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VisionError.badVocabulary(path: url.path, reason: "not UTF-8 text")
        }
        return text
    }

    static func gunzip(_ data: Data, path: String) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var outLength = 0
        var message = [CChar](repeating: 0, count: 256)
        let rc = data.withUnsafeBytes { raw in
            descry_gunzip(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out, &outLength, &message, message.count)
        }
        guard rc == 0, let out else {
            throw VisionError.badVocabulary(path: path, reason: String(cString: message))
        }
        defer { free(out) }
        return Data(bytes: out, count: outLength)
    }
}
