// Stand-in: a package every service shares.
package health

func Serve() {}
