/**
 * Validation and variable errors in GitHub's wording. GitHub runs graphql-ruby, whose messages,
 * `extensions.code` and `path` (`["query", "repository", "nope"]`) differ from graphql-js's;
 * the common rules are translated here, the rest keep graphql-js's message.
 */
import {
  TypeInfo,
  getNamedType,
  isEnumType,
  print,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema
} from 'graphql'
import type { WireError } from './errors.js'

interface NodeInfo {
  path: string[]
  ancestors: ASTNode[]
  /** Type of the argument (or input field) whose value this node is part of, outermost argument first. */
  argType?: string
  fieldName?: string
  inputOwner?: string
}

/** Indexes every node of a document with graphql-ruby's validation path and its ancestors. */
function indexDocument(schema: GraphQLSchema, doc: DocumentNode): Map<ASTNode, NodeInfo> {
  const index = new Map<ASTNode, NodeInfo>()
  const path: string[] = []
  const stack: ASTNode[] = []
  const pushed: boolean[] = []
  const typeInfo = new TypeInfo(schema)
  let argType: string | undefined
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        let segment: string | null = null
        switch (node.kind) {
          case 'OperationDefinition':
            segment = node.name ? `${node.operation} ${node.name.value}` : node.operation
            break
          case 'FragmentDefinition':
            segment = `fragment ${node.name.value}`
            break
          case 'Field':
            segment = node.alias?.value ?? node.name.value
            break
          case 'Argument':
            segment = node.name.value
            argType = typeInfo.getInputType()?.toString()
            break
          case 'ObjectField':
            segment = node.name.value
            break
          case 'InlineFragment':
            segment = node.typeCondition ? `... on ${node.typeCondition.name.value}` : '...'
            break
          case 'FragmentSpread':
            segment = `... ${node.name.value}`
            break
        }
        if (segment !== null) path.push(segment)
        pushed.push(segment !== null)
        const parentInput = typeInfo.getParentInputType()
        index.set(node, {
          path: [...path],
          ancestors: [...stack],
          argType,
          fieldName: typeInfo.getFieldDef()?.name,
          inputOwner: parentInput ? getNamedType(parentInput).name : undefined
        })
        stack.push(node)
      },
      leave(node) {
        stack.pop()
        if (pushed.pop()) path.pop()
        if (node.kind === 'Argument') argType = undefined
      }
    })
  )
  return index
}

const loc = (node: ASTNode | undefined) => (node?.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : [])

/** Translates graphql-js validation errors into GitHub's (graphql-ruby's) wording, codes and paths. */
export function validationErrors(schema: GraphQLSchema, doc: DocumentNode, errors: readonly GraphQLError[]): WireError[] {
  const index = indexDocument(schema, doc)
  const out: WireError[] = []
  const missingArgs = new Map<ASTNode, WireError>()
  const opName = (node: ASTNode | undefined): string => {
    const op = [node, ...(node ? (index.get(node)?.ancestors ?? []) : [])].find((n) => n?.kind === 'OperationDefinition')
    if (op?.kind !== 'OperationDefinition') return 'anonymous query'
    return op.name ? op.name.value : `anonymous ${op.operation}`
  }
  const nearest = (node: ASTNode, kind: string): ASTNode | undefined => [...(index.get(node)?.ancestors ?? [])].reverse().find((n) => n.kind === kind)
  const emit = (node: ASTNode | undefined, message: string, extensions?: Record<string, unknown>) => {
    const info = node ? index.get(node) : undefined
    out.push({ path: info?.path ?? [], extensions, locations: loc(node), message })
  }

  for (const e of errors) {
    const node = e.nodes?.[0]
    const m = (re: RegExp) => re.exec(e.message)
    let r: RegExpExecArray | null
    if ((r = m(/^Cannot query field "(.+?)" on type "(.+?)"\./))) {
      emit(node, `Field '${r[1]}' doesn't exist on type '${r[2]}'`, { code: 'undefinedField', typeName: r[2], fieldName: r[1] })
    } else if ((r = m(/^Unknown argument "(.+?)" on field "(?:.+?)\.(.+?)"\./))) {
      emit(node, `Field '${r[2]}' doesn't accept argument '${r[1]}'`, { code: 'argumentNotAccepted', name: r[2], typeName: 'Field', argumentName: r[1] })
    } else if ((r = m(/^Unknown argument "(.+?)" on directive "@(.+?)"\./))) {
      emit(node, `Directive '${r[2]}' doesn't accept argument '${r[1]}'`, { code: 'argumentNotAccepted', name: r[2], typeName: 'Directive', argumentName: r[1] })
    } else if ((r = m(/^(Field|Directive) "@?(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./)) && node) {
      const seen = missingArgs.get(node)
      if (seen) {
        const ext = seen.extensions as { arguments: string }
        ext.arguments += `, ${r[3]}`
        seen.message = `${r[1]} '${r[2]}' is missing required arguments: ${ext.arguments}`
      } else {
        emit(node, `${r[1]} '${r[2]}' is missing required arguments: ${r[3]}`, { code: 'missingRequiredArguments', className: r[1], name: r[2], arguments: r[3] })
        missingArgs.set(node, out[out.length - 1])
      }
    } else if ((r = m(/^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./)) && node) {
      const field = nearest(node, 'Field') ?? node
      const type = r[2].replace(/[[\]!]/g, '')
      const kind = isEnumType(schema.getType(type)) ? 'enums' : 'scalars'
      const sels = node.kind === 'SelectionSet' ? node.selections.map((s) => (s.kind === 'Field' ? s.name.value : print(s).split('\n')[0])) : []
      emit(field, `Selections can't be made on ${kind} (field '${r[1]}' returns ${type} but has selections [${sels.join(', ')}])`, {
        code: 'selectionMismatch',
        nodeName: `field '${r[1]}'`,
        typeName: type
      })
    } else if ((r = m(/^Field "(.+?)" of type "(.+?)" must have a selection of subfields/))) {
      const type = r[2].replace(/[[\]!]/g, '')
      emit(node, `Field must have selections (field '${r[1]}' returns ${type} but has no selections. Did you mean '${r[1]} { ... }'?)`, {
        code: 'selectionMismatch',
        nodeName: `field '${r[1]}'`,
        typeName: type
      })
    } else if ((r = m(/^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\./))) {
      const usage = e.nodes?.[1] ?? node
      const arg = usage ? (nearest(usage, 'ObjectField') ?? nearest(usage, 'Argument')) : undefined
      const argName = arg && 'name' in arg && arg.name ? arg.name.value : '?'
      const [vt, at] = [r[2], r[3]]
      const bare = (t: string) => t.replace(/!/g, '')
      const kind = bare(vt) === bare(at) ? 'Nullability' : vt.replace(/[^[\]]/g, '') !== at.replace(/[^[\]]/g, '') && vt.replace(/[[\]!]/g, '') === at.replace(/[[\]!]/g, '') ? 'List dimension' : 'Type'
      emit(usage, `${kind} mismatch on variable $${r[1]} and argument ${argName} (${vt} / ${at})`, {
        code: 'variableMismatch',
        variableName: r[1],
        typeName: vt,
        argumentName: argName,
        errorMessage: `${kind} mismatch`
      })
    } else if ((r = m(/^Field "(.+?)\.(.+?)" of required type "(.+?)" was not provided\./))) {
      emit(node, `Argument '${r[2]}' on InputObject '${r[1]}' is required. Expected type ${r[3]}`, {
        code: 'missingRequiredInputObjectAttribute',
        argumentName: r[2],
        argumentType: r[3],
        inputObjectType: r[1]
      })
    } else if ((r = m(/^Field "(.+?)" is not defined by type "(.+?)"\./))) {
      emit(node, `InputObject '${r[2]}' doesn't accept argument '${r[1]}'`, { code: 'argumentNotAccepted', name: r[2], typeName: 'InputObject', argumentName: r[1] })
    } else if (node && /cannot represent|does not exist in ".+?" enum|^Expected value of type/.test(e.message)) {
      const arg = nearest(node, 'Argument')
      const info = index.get(node)
      if (arg?.kind === 'Argument') {
        emit(arg, `Argument '${arg.name.value}' on Field '${info?.fieldName ?? '?'}' has an invalid value (${print(arg.value)}). Expected type '${info?.argType ?? '?'}'.`, {
          code: 'argumentLiteralsIncompatible',
          typeName: 'Field',
          argumentName: arg.name.value
        })
      } else emit(node, e.message)
    } else if ((r = m(/^Variable "\$(.+?)" is not defined/))) {
      emit(node, `Variable $${r[1]} is used by ${opName(node)} but not declared`, { code: 'variableNotDefined', variableName: r[1] })
    } else if ((r = m(/^Variable "\$(.+?)" is never used/))) {
      emit(node, `Variable $${r[1]} is declared by ${opName(node)} but not used`, { code: 'variableNotUsed', variableName: r[1] })
    } else if ((r = m(/^Variable "\$(.+?)" cannot be non-input type "(.+?)"\./))) {
      emit(node, `${r[2].replace(/[[\]!]/g, '')} isn't a valid input type (on $${r[1]})`, { code: 'variableRequiresValidType', typeName: r[2], variableName: r[1] })
    } else if ((r = m(/^Unknown type "(.+?)"\./)) && node) {
      const def = nearest(node, 'VariableDefinition')
      if (def?.kind === 'VariableDefinition') {
        emit(node, `${r[1]} isn't a defined input type (on $${def.variable.name.value})`, { code: 'variableRequiresValidType', typeName: r[1], variableName: def.variable.name.value })
      } else emit(node, `No such type ${r[1]}, so it can't be a fragment condition`, { code: 'undefinedType', typeName: r[1] })
    } else if ((r = m(/^Fragment(?: "(.+?)")? cannot be spread here as objects of type "(.+?)" can never be of type "(.+?)"\./))) {
      const name = r[1] ? `${r[1]} ` : ''
      emit(node, `Fragment ${name}on ${r[3]} can't be spread inside ${r[2]}`, { code: 'cannotSpreadFragment', typeName: r[3], fragmentName: r[1] ?? 'unknown', parentName: r[2] })
    } else if ((r = m(/^Fragment "(.+?)" is never used\./))) {
      emit(node, `Fragment ${r[1]} was defined, but not used`, { code: 'useAndDefineFragment', fragmentName: r[1] })
    } else if ((r = m(/^Unknown fragment "(.+?)"\./))) {
      const spread = node?.kind === 'Name' ? (index.get(node)?.ancestors.at(-1) ?? node) : node
      emit(spread, `Fragment ${r[1]} was used, but not defined`, { code: 'useAndDefineFragment', fragmentName: r[1] })
    } else if ((r = m(/^Unknown directive "@(.+?)"\./))) {
      emit(node, `Directive @${r[1]} is not defined`, { code: 'undefinedDirective', directiveName: r[1] })
    } else if ((r = m(/^Fields "(.+?)" conflict because "(.+?)" and "(.+?)" are different fields\./))) {
      emit(node, `Field '${r[1]}' has a field conflict: ${r[2]} or ${r[3]}?`, { code: 'fieldConflict', fieldName: r[1], conflicts: `${r[2]} or ${r[3]}` })
    } else {
      emit(node, e.message.replace(/ Did you mean .*\?$/, ''))
    }
  }
  return out
}

/**
 * Translates graphql-js's variable-coercion errors into GitHub's
 * `Variable $n of type Int! was provided invalid value` with `extensions.problems`.
 */
export function variableErrors(doc: DocumentNode, operationName: string | null, variables: Record<string, unknown>, errors: readonly GraphQLError[]): WireError[] {
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition' && (!operationName || d.name?.value === operationName))
  const typeOf = (name: string): string => {
    const def = op?.kind === 'OperationDefinition' ? op.variableDefinitions?.find((v) => v.variable.name.value === name) : undefined
    return def ? print(def.type) : '?'
  }
  const byVar = new Map<string, WireError & { extensions: { value: unknown; problems: { path: (string | number)[]; explanation: string }[] } }>()
  const out: WireError[] = []
  for (const e of errors) {
    let r = /^Variable "\$(\w+)" got invalid value (?:.*?)(?: at "(.+?)")?; (.*)$/s.exec(e.message)
    let name: string | undefined
    let problem: { path: (string | number)[]; explanation: string } | undefined
    if (r) {
      name = r[1]
      const path: (string | number)[] = (r[2] ?? '')
        .split(/\.|\[(\d+)\]/)
        .filter((s) => s !== undefined && s !== '')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
      const detail = r[3]
      let d: RegExpExecArray | null
      if ((d = /^(\w+) cannot represent [^:]*: (.*)$/.exec(detail))) problem = { path, explanation: `Could not coerce value ${d[2]} to ${d[1]}` }
      else if ((d = /^Field "(.+?)" of required type ".+?" was not provided\./.exec(detail))) problem = { path: [...path, d[1]], explanation: 'Expected value to not be null' }
      else if ((d = /^Field "(.+?)" is not defined by type "(.+?)"\./.exec(detail))) problem = { path: [...path, d[1]], explanation: `Field is not defined on ${d[2]}` }
      else if (/must not be null/.test(detail)) problem = { path, explanation: 'Expected value to not be null' }
      else problem = { path, explanation: detail.replace(/ Did you mean .*\?$/, '') }
    } else if ((r = /^Variable "\$(\w+)" of (?:required|non-null) type ".+?" (?:was not provided|must not be null)\./.exec(e.message))) {
      name = r[1]
      problem = { path: [], explanation: 'Expected value to not be null' }
    }
    if (!name || !problem) {
      out.push({ locations: e.locations?.map((l) => ({ ...l })), message: e.message })
      continue
    }
    const seen = byVar.get(name)
    if (seen) seen.extensions.problems.push(problem)
    else {
      const err = {
        extensions: { value: variables[name] ?? null, problems: [problem] },
        locations: e.locations?.map((l) => ({ line: l.line, column: l.column })) ?? [],
        message: `Variable $${name} of type ${typeOf(name)} was provided invalid value`
      }
      byVar.set(name, err)
      out.push(err)
    }
  }
  return out
}
