import WinAudit

@main
struct Main { static func main() {} }
