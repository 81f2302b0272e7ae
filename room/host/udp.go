package host

import (
	"net"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// udpMux is the UDP socket every PeerConnection of the host shares (pion's
// ICE UDP mux), on the address and, where it is free, the port the host
// listens on: one port to open in a firewall, TCP and UDP. Without it each
// PeerConnection opened its own socket, with a goroutine reading it and
// the interfaces listed again for its candidates: ~2,450 of each for a
// meeting of 50. A host listening on every address gets one socket per
// address of this machine.
func udpMux(addr net.Addr) (ice.UDPMux, error) {
	t, _ := addr.(*net.TCPAddr)
	if t == nil {
		t = &net.TCPAddr{}
	}
	if t.IP == nil || t.IP.IsUnspecified() {
		mux, err := ice.NewMultiUDPMuxFromPort(t.Port)
		if err != nil {
			mux, err = ice.NewMultiUDPMuxFromPort(0)
		}
		return mux, err
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: t.IP, Port: t.Port})
	if err != nil {
		conn, err = net.ListenUDP("udp", &net.UDPAddr{IP: t.IP})
	}
	if err != nil {
		return nil, err
	}
	return webrtc.NewICEUDPMux(nil, conn), nil
}
