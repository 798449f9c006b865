import Dispatch
import Foundation

extension CLIPModel {
    /// The outcome for one image file: its position in the input, its URL, and its embedding
    /// or the error that kept it from one.
    public typealias ImageResult = (index: Int, url: URL, result: Result<[Float], Error>)

    /// Embeds the image files at `urls`, overlapping decoding and preprocessing with inference.
    ///
    /// A producer thread decodes and preprocesses batch after batch (the images of a batch in
    /// parallel on `decodeThreads` threads) into a queue of at most `prefetch` batches; the
    /// calling thread runs the image encoder on each batch and calls `body` with that batch's
    /// results in input order, each carrying its index in `urls`. Memory stays bounded by `(prefetch + 2) × batchSize` images
    /// whatever the number of files. A file that cannot be read or decoded yields a `.failure`
    /// for that file only. If `body` or inference throws, the producer stops and the error is
    /// rethrown after it has finished.
    public func encodeImages(at urls: [URL], batchSize: Int = 32, decoder: ImageDecoder = ImageDecoder(),
                             prefetch: Int = 2, decodeThreads: Int = 0,
                             _ body: ([ImageResult]) throws -> Void) throws {
        let batch = max(1, batchSize)
        let queue = BoundedQueue<PreparedBatch>(capacity: max(1, prefetch))
        let preprocessor = self.preprocessor
        let threads = decodeThreads > 0 ? decodeThreads : ProcessInfo.processInfo.activeProcessorCount
        let done = DispatchSemaphore(value: 0)
        let producer = Thread {
            var start = 0
            while start < urls.count {
                let end = min(start + batch, urls.count)
                let prepared = PreparedBatch.prepare(Array(urls[start..<end]), decoder: decoder,
                                                     preprocessor: preprocessor, threads: threads)
                if !queue.push(prepared) { break }
                start = end
            }
            queue.close()
            done.signal()
        }
        producer.stackSize = 1 << 20
        producer.start()
        defer {
            queue.close()   // unblocks the producer if we leave early
            done.wait()
        }
        var offset = 0   // index in `urls` of the batch's first image
        while let prepared = queue.pop() {
            var embeddings: [[Float]] = []
            if prepared.okCount > 0 {
                embeddings = try encode(pixels: prepared.pixels, count: prepared.okCount)
            }
            var results: [ImageResult] = []
            results.reserveCapacity(prepared.urls.count)
            var next = 0
            for (i, url) in prepared.urls.enumerated() {
                if let error = prepared.errors[i] {
                    results.append((offset + i, url, .failure(error)))
                } else {
                    results.append((offset + i, url, .success(embeddings[next])))
                    next += 1
                }
            }
            offset += prepared.urls.count
            try body(results)
        }
    }
}

/// One batch of decoded, preprocessed images: successful ones packed in input order.
/// Package-visible for `descry bench vision`, which times the pipeline's producer alone.
package struct PreparedBatch: Sendable {
    package var urls: [URL]
    var pixels: [Float]
    package var okCount: Int
    var errors: [Error?]

    package static func prepare(_ urls: [URL], decoder: ImageDecoder, preprocessor: CLIPPreprocessor, threads: Int) -> PreparedBatch {
        let n = preprocessor.tensorCount
        var slots = [Float](repeating: 0, count: urls.count * n)
        var errors = [Error?](repeating: nil, count: urls.count)
        let workers = max(1, min(threads, urls.count))
        slots.withUnsafeMutableBufferPointer { buffer in
            errors.withUnsafeMutableBufferPointer { errs in
                guard let pixels = buffer.baseAddress, let failures = errs.baseAddress else { return }   // no images
                let base = DisjointSlots(base: pixels), errBase = DisjointSlots(base: failures)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < urls.count {
                        do {
                            let image = try decoder.decode(contentsOf: urls[i])
                            try preprocessor.write(image, into: UnsafeMutableBufferPointer(start: base.base + i * n, count: n))
                        } catch {
                            errBase.base[i] = error
                        }
                        i += workers
                    }
                }
            }
        }
        // Pack the successful images so inference sees a dense batch.
        var ok = 0
        for i in 0..<urls.count where errors[i] == nil {
            if ok != i {
                slots.withUnsafeMutableBufferPointer { b in
                    guard let base = b.baseAddress else { return }
                    (base + ok * n).update(from: base + i * n, count: n)
                }
            }
            ok += 1
        }
        slots.removeLast((urls.count - ok) * n)
        return PreparedBatch(urls: urls, pixels: slots, okCount: ok, errors: errors)
    }
}

/// The start of a buffer that the workers of one `concurrentPerform` fill side by side.
/// @unchecked Sendable: each worker writes only its own slots (disjoint index sets), and the
/// buffer outlives the loop.
struct DisjointSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
