import Hummingbird

/// The dashboard (Docs/DASHBOARD.md) served at `/` and `/dashboard`: one
/// self-contained HTML page, inline CSS, hand-written JS and SVG, no external assets.
public enum DashboardPage {
    /// Content type of the page.
    public static let contentType = "text/html; charset=utf-8"

    /// The API paths the page calls (and nothing else).
    public static let endpoints = ["/api/v1/status", "/api/v1/stats", "/api/v1/blocks", "/api/v1/miners/"]

    static var response: Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardHTML.page)))
    }
}
