package rtc

import (
	"net"

	"github.com/pion/ice/v4"

	"github.com/pion/webrtc/v4"
)

// Loopback keeps PeerConnections on 127.0.0.1: for meetings within one
// machine (a host listening on loopback, a link to localhost) and tests.
// Without multicast DNS, which resolves other machines' .local
// candidates: pion otherwise opens a multicast socket, with goroutines
// reading it, per PeerConnection (one process of bench/hosted.sh's, 38
// people in a 50-person meeting: ~1,900 of them).
func Loopback() *webrtc.SettingEngine {
	s := &webrtc.SettingEngine{}
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetIncludeLoopbackCandidate(true)
	s.SetInterfaceFilter(isLoopbackInterface)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return s
}

// isLoopbackInterface asks the system rather than trusting a name: the
// loopback interface is "lo" on Linux but "lo0" on macOS and BSD.
func isLoopbackInterface(name string) bool {
	i, err := net.InterfaceByName(name)
	return err == nil && i.Flags&net.FlagLoopback != 0
}

// IsLoopbackHost says whether host (a name or an address, as in a URL) is
// this machine.
func IsLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}
