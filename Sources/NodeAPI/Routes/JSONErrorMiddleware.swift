import JSON
import Hummingbird
import Logging

/// Turns every error into `{"error": "..."}` with a fitting status: `NodeAPIError`
/// by its case, Hummingbird's `HTTPError` (e.g. 404 for an unknown route) by its
/// status, anything else 500 (logged, details not exposed).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as NodeAPIError {
            switch error {
            case .badRequest(let m): return APIResponse.error(m, status: .badRequest)
            case .notFound(let m): return APIResponse.error(m, status: .notFound)
            case .unavailable(let m): return APIResponse.error(m, status: .serviceUnavailable)
            }
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "not found" : error.status.reasonPhrase)
            return APIResponse.error(message, status: error.status)
        } catch {
            context.logger.error("API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIResponse.error("internal error", status: .internalServerError)
        }
    }
}

/// Building JSON responses.
enum APIResponse {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        json(value.jsonText, status: status)
    }

    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        json(.fields([("error", .string(message))]), status: status)
    }
}
