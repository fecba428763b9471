// Stand-in: DataStorage's client, which other services import.
package client

type Client struct{}

func New() *Client { return &Client{} }
