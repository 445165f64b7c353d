import NIOCore
import PeerProtocol
import SharechainService

/// Installs the peer protocol handlers on a channel.
public enum PeerPipeline {
    /// Decoder, encoder and the state-machine handler, from the network side in.
    /// Call on the channel's event loop (e.g. inside a channel initializer).
    public static func configure(_ channel: Channel, id: PeerID, machine: PeerStateMachine,
                                 backlog: PeerBacklog = PeerBacklog(),
                                 sink: @escaping @Sendable (PeerEvent) -> Void) throws {
        try channel.syncOptions?.setOption(ChannelOptions.writeBufferWaterMark, value: PeerChannelHandler.writeBufferWaterMark)
        let magic = NetworkMagic(network: machine.local.parameters.network)
        let ops = channel.pipeline.syncOperations
        try ops.addHandler(ByteToMessageHandler(PeerFrameDecoder(magic: magic)))
        try ops.addHandler(MessageToByteHandler(PeerMessageEncoder(magic: magic)))
        try ops.addHandler(PeerChannelHandler(id: id, machine: machine, backlog: backlog, sink: sink))
    }
}
