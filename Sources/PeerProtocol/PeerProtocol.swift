// PeerProtocol
