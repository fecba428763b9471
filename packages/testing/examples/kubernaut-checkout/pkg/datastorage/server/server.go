// Stand-in: DataStorage's server.
package server

func Run() {}
