package wire_test

import (
	"errors"
	"fmt"

	"github.com/edgecluster/edgecluster/sync/wire"
)

func ExampleParseCommand() {
	topic := "edgecluster/cam-1/cmd/label"
	name, _ := wire.CommandName(wire.DefaultPrefix, "cam-1", topic)

	cmd, err := wire.ParseCommand(name, []byte(`{"v":1,"id":"op-1","cluster":3,"label":"door"}`))
	fmt.Println(cmd.Name, cmd.ID, cmd.Cluster, cmd.Label, err)

	_, err = wire.ParseCommand("reboot", []byte(`{"v":1,"id":"op-2"}`))
	fmt.Println(errors.Is(err, wire.ErrUnknownCommand))
	// Output:
	// label op-1 3 door <nil>
	// true
}
