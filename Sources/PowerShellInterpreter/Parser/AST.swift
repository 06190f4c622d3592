import Foundation

/// The text of one script, shared by every extent parsed from it (for "At line:N char:M" messages).
final class SourceText: @unchecked Sendable {
  let scalars: [Unicode.Scalar]
  let lineStarts: [Int]

  init(_ text: String) {
    scalars = Array(text.unicodeScalars)
    var starts = [0]
    for (offset, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(offset + 1) }
    lineStarts = starts
  }

  /// 1-based line and column of an offset.
  func position(of offset: Int) -> (line: Int, column: Int) {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return (low + 1, offset - lineStarts[low] + 1)
  }

  /// The text of a 1-based line without its terminator.
  func lineText(_ line: Int) -> String {
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : scalars.count
    while end > start && (scalars[end - 1] == "\n" || scalars[end - 1] == "\r") { end -= 1 }
    return text(start, end)
  }

  func text(_ start: Int, _ end: Int) -> String {
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[max(0, start)..<min(end, scalars.count)])
    return String(result)
  }
}

/// A span of source text.
struct Extent: Sendable {
  let source: SourceText
  let start: Int
  let end: Int

  var text: String { source.text(start, end) }

  /// The invocation info an error at this extent reports.
  func invocationInfo(commandName: String) -> PSInvocationInfo {
    let (line, column) = source.position(of: start)
    let lineText = source.lineText(line)
    let lineLength = lineText.unicodeScalars.count
    let length = max(1, min(end - start, lineLength - column + 1))
    return PSInvocationInfo(
      commandName: commandName, line: line, column: column, lineText: lineText, length: length)
  }
}

/// A script block: `param()`, begin/process/end blocks (a plain body is the end block).
final class ScriptBlockAst: @unchecked Sendable {
  var parameters: [ParameterAst]
  var hasCmdletBinding: Bool
  var begin: [Statement]?
  var process: [Statement]?
  var end: [Statement]
  let extent: Extent

  init(
    parameters: [ParameterAst], hasCmdletBinding: Bool, begin: [Statement]?, process: [Statement]?,
    end: [Statement], extent: Extent
  ) {
    self.parameters = parameters
    self.hasCmdletBinding = hasCmdletBinding
    self.begin = begin
    self.process = process
    self.end = end
    self.extent = extent
  }
}

/// A `param()` entry.
struct ParameterAst {
  var name: String
  var typeName: TypeNameAst?
  var defaultValue: Expr?
  var isMandatory: Bool
  var position: Int?
  var fromPipeline: Bool
  var fromPipelineByPropertyName: Bool
  var validateSet: [String]?
  var aliases: [String]
}

/// A type name as written (`System.Int32`, `string[]`, `List[object]`).
struct TypeNameAst: Sendable {
  var name: String
  let extent: Extent
}

enum AssignmentOperator: String {
  case assign = "=", add = "+=", subtract = "-=", multiply = "*=", divide = "/=", remainder = "%="
}

indirect enum Statement {
  case pipeline(PipelineAst)
  case assignment(target: Expr, op: AssignmentOperator, value: Statement, extent: Extent)
  case ifStatement(clauses: [(condition: PipelineAst, body: [Statement])], elseBody: [Statement]?)
  case foreachStatement(label: String?, variable: String, collection: PipelineAst, body: [Statement])
  case forStatement(
    label: String?, initializer: Statement?, condition: PipelineAst?, iterator: Statement?,
    body: [Statement])
  case whileStatement(label: String?, condition: PipelineAst, body: [Statement])
  case doStatement(label: String?, body: [Statement], condition: PipelineAst, isUntil: Bool)
  case switchStatement(SwitchAst)
  case tryStatement(body: [Statement], catches: [CatchClause], finally: [Statement]?)
  case throwStatement(PipelineAst?, extent: Extent)
  case returnStatement(PipelineAst?, extent: Extent)
  case exitStatement(PipelineAst?, extent: Extent)
  case breakStatement(label: String?)
  case continueStatement(label: String?)
  case functionDefinition(name: String, body: ScriptBlockAst)
}

struct CatchClause {
  var typeNames: [TypeNameAst]
  var body: [Statement]
}

struct SwitchAst {
  var label: String?
  var value: PipelineAst
  var isWildcard: Bool
  var isRegex: Bool
  var isCaseSensitive: Bool
  var clauses: [(pattern: Expr, body: [Statement])]
  var defaultBody: [Statement]?
}

struct PipelineAst {
  var elements: [PipelineElement]
  let extent: Extent
}

enum RedirectionTarget {
  case null
  case mergeToOutput
  case file(Expr, append: Bool)
}

struct Redirection {
  /// 1 output, 2 error, 3 warning, 4 verbose, 5 debug, 6 information, 0 all (`*`).
  var stream: Int
  var target: RedirectionTarget
}

enum PipelineElement {
  case expression(Expr, redirections: [Redirection], extent: Extent)
  case command(CommandAst)
}

enum CommandElement {
  case parameter(name: String, argument: Expr?, extent: Extent)
  case argument(Expr)
  case splat(String, extent: Extent)
}

struct CommandAst {
  /// `&` or `.` prefix.
  var invocationOperator: String?
  /// The command name as a bareword, or an expression (`& $sb`, `& ([scriptblock]::Create($s))`).
  var name: Expr
  var elements: [CommandElement]
  var redirections: [Redirection]
  let extent: Extent
  let nameExtent: Extent
}

enum StringPart {
  case literal(String)
  case variable(VariableRef)
  case subexpression([Statement])
}

struct VariableRef {
  /// Lower-cased scope qualifier (`script`, `global`, `local`, `env`, `private`, `using`) or nil.
  var scope: String?
  var name: String
}

enum UnaryOperator {
  case not, negate, plus, bnot, split, join, comma, preIncrement, preDecrement, postIncrement, postDecrement
}

indirect enum Expr {
  case constant(PSValue)
  case expandableString([StringPart])
  case variable(VariableRef, Extent)
  case arrayLiteral([Expr])
  case arraySubexpression([Statement])
  case subexpression([Statement])
  case paren(Statement)
  case hashtable([(key: Expr, value: Statement)], Extent)
  case scriptBlock(ScriptBlockAst)
  case binary(op: String, lhs: Expr, rhs: Expr, extent: Extent)
  case unary(UnaryOperator, Expr, Extent)
  case cast(TypeNameAst, Expr)
  case typeLiteral(TypeNameAst)
  case member(target: Expr, name: Expr, isStatic: Bool, extent: Extent)
  case invokeMember(target: Expr, name: Expr, arguments: [Expr], isStatic: Bool, extent: Extent)
  case index(target: Expr, index: Expr, extent: Extent)
}
