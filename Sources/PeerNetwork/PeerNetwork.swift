// PeerNetwork
