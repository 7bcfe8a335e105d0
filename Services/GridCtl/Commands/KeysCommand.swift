import ArgumentParser
import Daemon
import Foundation
import PersonalData

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Token signing keys, personal-data keys and the secrets key.",
        subcommands: [Generate.self, PersonalDataKeysCommand.self, SecretsKeyCommand.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write token-signing.jwk (private, mode 0600) and token-keys.json (public JWKS) into a folder, unless they exist.")

        @Option(name: .long, help: "The folder to write the keys into.")
        var dir: String

        func run() async throws {
            let signing = "\(dir)/token-signing.jwk"
            let keys = "\(dir)/token-keys.json"
            if FileManager.default.fileExists(atPath: signing) {
                print("kept existing \(signing)")
                return
            }
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let generated = TokenKeys.generate()
            guard FileManager.default.createFile(atPath: signing, contents: Data(generated.privateJWK.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(signing)")
            }
            try generated.publicJWKS.write(toFile: keys, atomically: true, encoding: .utf8)
            print("wrote \(signing) and \(keys) (kid \(generated.keyID))")
        }
    }

    struct PersonalDataKeysCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "personal-data",
            abstract:
                "Write a sealing key (one per daemon holding personal data) and lookup.key (shared by reentryd, vettingd and patrold), mode 0600, unless they exist."
        )

        @Option(name: .long, help: "The folder to write the keys into.")
        var dir: String

        @Option(name: .long, help: "The sealing key's file name, e.g. reentryd-sealing.key.")
        var sealingFile = "sealing.key"

        func run() async throws {
            for name in [sealingFile, "lookup.key"] { try KeysCommand.writeKey(dir: dir, name: name) }
        }
    }

    struct SecretsKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "secrets",
            abstract: "Write secrets.key, which seals webhook and callback secrets in the database (every daemon and gridctl), mode 0600, unless it exists.")

        @Option(name: .long, help: "The folder to write the key into.")
        var dir: String

        func run() async throws { try KeysCommand.writeKey(dir: dir, name: "secrets.key") }
    }

    /// A new random key in `dir/name`, mode 0600; an existing file is kept.
    static func writeKey(dir: String, name: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = "\(dir)/\(name)"
        if FileManager.default.fileExists(atPath: path) {
            print("kept existing \(path)")
            return
        }
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((PersonalDataKeys.generateKeyText() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write \(path)") }
        print("wrote \(path)")
    }
}
