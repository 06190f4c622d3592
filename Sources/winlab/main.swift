import WinLab

@main
struct Main { static func main() {} }
