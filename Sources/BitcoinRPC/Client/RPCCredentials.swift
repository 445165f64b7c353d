import Foundation

/// How the client authenticates to bitcoind (HTTP Basic auth either way).
public enum RPCCredentials: Sendable, Equatable {
    /// bitcoind's `.cookie` file, holding `__cookie__:<password>`. It is read when
    /// the first call is made and again after a 401, since bitcoind rewrites it on
    /// every restart.
    case cookieFile(path: String)
    /// `rpcuser` / `rpcpassword` (or an `rpcauth` entry's user and password).
    case userPassword(user: String, password: String)

    /// The `Authorization` header value, reading the cookie file if needed.
    func authorizationHeader() throws(RPCError) -> String {
        let pair: String
        switch self {
        case .userPassword(let user, let password):
            pair = "\(user):\(password)"
        case .cookieFile(let path):
            let contents: String
            do { contents = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw .cookieUnreadable(path: path, reason: error.localizedDescription)
            }
            pair = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard pair.contains(":") else { throw .cookieUnreadable(path: path, reason: "no user:password inside") }
        }
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    /// Whether re-reading can change the credentials (cookie auth).
    var isCookie: Bool {
        if case .cookieFile = self { return true }
        return false
    }
}
