// What the analyzer knows about names: imports, module globals, function scopes and value kinds.
// Everything is computed lazily and cached per node, so a rule asks only for what it needs.
import {
  type AstNode,
  child,
  COMPREHENSION_TYPES,
  descendants,
  descendantsInScope,
  isStringStatement,
  LOOP_TYPES,
  methodsOf,
  SCOPE_TYPES,
  undecorated,
  unparen,
} from '../ast';
import { freshName } from '../edits';
import { collectImports, type ImportTable } from './imports';
import { type Kind, isArrayKind } from './kinds';
import { iterationSources, type LoopFacts, loopFacts } from './loops';

export { type Kind, isArrayKind } from './kinds';
export type { LoopFacts } from './loops';

/** A function body or the module: where names are bound. */
export interface Scope {
  readonly node: AstNode;
  readonly isModule: boolean;
  /** Parameters (functions only). */
  readonly params: Set<string>;
  /** Parameters that hold a number: annotated `int`/`float`, or defaulting to a number literal. */
  readonly numberParams: Set<string>;
  /**
   * Parameters that are plain Python values, not arrays: annotated as one (`List[int]`, `str`,
   * `Sequence[float]`, `dict`), or defaulting to a tuple, list, string or number literal.
   */
  readonly plainParams: Set<string>;
  /** Names bound anywhere in the scope (assignments, loop targets, imports, defs, with-as, ...). */
  readonly bound: Set<string>;
  /** Names declared `global` or `nonlocal`. */
  readonly declaredGlobal: Set<string>;
  /** What each name holds, as far as it can be told. */
  readonly kinds: Map<string, Kind>;
}

const NUMBA_DECORATORS = new Set([
  'numba.njit',
  'numba.jit',
  'numba.cuda.jit',
  'numba.vectorize',
  'numba.guvectorize',
  'numba.stencil',
  'numba.cfunc',
  'cython.compile',
  'jax.jit',
  'torch.compile',
  'torch.jit.script',
]);

/** What the module binds and imports: the same after an edit that changed only function bodies. */
export interface ModuleFacts {
  readonly imports: ImportTable;
  readonly scope: Scope;
  /** Module-level names bound to a list, tuple, set or dict display, with its number of items. */
  readonly collectionSizes: ReadonlyMap<string, number>;
  /** Module-level names bound to a number (`TRADING_DAYS = 252`, `DT = 1.0 / 60`). */
  readonly scalarConstants: ReadonlySet<string>;
  /** Module-level names bound once to an integer literal (`CUTOFF = 10`), with its value. */
  readonly integerConstants: ReadonlyMap<string, number>;
  /** The names of the methods of this text's top-level classes. */
  readonly methodNames: ReadonlySet<string>;
  /** Top-level functions annotated to return an array, tensor or frame (`def iou(a, b) -> Tensor`). */
  readonly returnKinds: ReadonlyMap<string, Kind>;
}

export class Semantics {
  readonly imports: ImportTable;
  /** Names bound at module level. */
  readonly moduleScope: Scope;
  private readonly compiled = new Map<AstNode, boolean>();
  private readonly memos = new Map<string, Map<AstNode, unknown>>();
  /** Return kinds worked out from function bodies, and the functions being worked out (recursion). */
  private readonly inferredReturns = new Map<string, Kind>();
  private readonly inferring = new Set<string>();
  /** Set when a rule looked into another top-level statement than the one being checked. */
  private readonly consulted = new Set<AstNode>();
  /** Whether every top-level statement has been settled (see `enclosingScope`). */
  private moduleSettled = false;

  readonly collectionSizes: ReadonlyMap<string, number>;
  readonly scalarConstants: ReadonlySet<string>;
  readonly integerConstants: ReadonlyMap<string, number>;
  readonly methodNames: ReadonlySet<string>;
  readonly returnKinds: ReadonlyMap<string, Kind>;

  /**
   * `module`: facts about the module from elsewhere. When `complete`, they are this text's own from
   * an earlier analysis, known to hold still; otherwise they are what the module held before this
   * text (earlier notebook cells), and this text's own are added on top.
   * `settle`: moves a top-level statement's inner nodes into place (see AnalysisCache); rules that
   * look into another top-level statement than their own go through `previousStatement`.
   */
  constructor(
    readonly root: AstNode,
    readonly source: string,
    module?: ModuleFacts,
    complete = false,
    private readonly settle: (statement: AstNode, bodies?: boolean) => void = () => {},
  ) {
    if (module && complete) {
      this.imports = module.imports;
      this.moduleScope = { ...module.scope, node: root };
      this.memo('scope', root, () => this.moduleScope);
      this.collectionSizes = module.collectionSizes;
      this.scalarConstants = module.scalarConstants;
      this.integerConstants = module.integerConstants;
      this.methodNames = module.methodNames;
      this.returnKinds = module.returnKinds;
      return;
    }
    const returns = returnKinds(root, this);
    this.returnKinds = module ? new Map([...module.returnKinds, ...returns]) : returns;
    const imports = collectImports(root, (n) => this.text(n));
    this.imports = module
      ? { aliases: new Map([...module.imports.aliases, ...imports.aliases]), starModules: [...module.imports.starModules, ...imports.starModules] }
      : imports;
    const own = this.scopeOf(root);
    this.moduleScope = module
      ? { ...own, bound: new Set([...module.scope.bound, ...own.bound]), kinds: new Map([...module.scope.kinds, ...own.kinds]) }
      : own;
    if (module) this.memos.get('scope')!.set(root, this.moduleScope);
    const sizes = collectionSizes(root, this);
    this.collectionSizes = module ? new Map([...module.collectionSizes, ...sizes]) : sizes;
    const scalars = scalarConstants(root, this);
    this.scalarConstants = module ? new Set([...module.scalarConstants, ...scalars]) : scalars;
    const integers = integerConstants(root, this.scalarConstants, this);
    this.integerConstants = module ? new Map([...[...module.integerConstants].filter(([k]) => this.scalarConstants.has(k)), ...integers]) : integers;
    this.methodNames = new Set(this.classesByMethod().keys());
  }

  get moduleFacts(): ModuleFacts {
    return { imports: this.imports, scope: this.moduleScope, collectionSizes: this.collectionSizes, scalarConstants: this.scalarConstants, integerConstants: this.integerConstants, methodNames: this.methodNames, returnKinds: this.returnKinds };
  }

  /**
   * Where a new import goes: after the imports that open the module (so it joins them and runs
   * before any code that uses it), else after the opening docstring and comments, else at the top.
   */
  get importInsertionPoint(): number {
    return this.memo('import-insertion-point', this.root, () => {
      let at = 0;
      let afterImport = -1;
      for (const s of this.root.children) {
        this.settle(s);
        const isImport = s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement';
        const isDoc = s.type === 'comment' || isStringStatement(s);
        if (!isImport && !isDoc) break;
        const end = this.source.indexOf('\n', s.end);
        at = end < 0 ? this.source.length : end + 1;
        if (isImport) afterImport = at;
      }
      return afterImport >= 0 ? afterImport : at;
    });
  }

  /** The statement before `node` in its block. */
  previousStatement(node: AstNode): AstNode | undefined {
    const siblings = node.parent?.children ?? [];
    const i = siblings.indexOf(node);
    const previous = i > 0 ? siblings[i - 1] : undefined;
    if (previous && node.parent === this.root) this.settle(previous);
    return previous;
  }

  /**
   * A name for a new local in `scope`, near `statement`, that clashes with nothing there. At module
   * level the names the module binds and the builtins stand for the rest of the module and only the
   * statement is walked: walking the whole module for every finding would be quadratic.
   */
  freshName(base: string, scope: Scope, statement: AstNode, taken: ReadonlySet<string> = new Set()): string {
    const text = (n: AstNode) => this.text(n);
    return scope.isModule
      ? freshName(base, statement, text, new Set([...taken, ...scope.bound, ...BUILTINS]))
      : freshName(base, scope.node, text, new Set(taken));
  }

  text(node: AstNode): string {
    return this.source.slice(node.start, node.end);
  }

  /**
   * The methods called `name` in the module's top-level classes. Whoever asks depends on those
   * classes, which an edit may change without touching the asking statement: see `takeConsulted`.
   */
  methodDefinitions(name: string): readonly AstNode[] {
    // Which names are methods is a module fact (in the fingerprint): only a method's body is another statement's.
    if (!this.methodNames.has(name)) return [];
    const statements = this.classesByMethod().get(name) ?? [];
    // Only the classes that have such a method are moved into place (see AnalysisCache.settle).
    for (const statement of statements) this.settle(statement);
    const definitions = statements.flatMap((s) => methodsOf(undecorated(s)!).filter((fn) => this.functionName(fn) === name));
    return this.consult(definitions);
  }

  /**
   * The top-level functions called `name`. Whoever asks depends on their bodies, which an edit may
   * change without touching the asking statement: see `takeConsulted`.
   */
  functionDefinitions(name: string): readonly AstNode[] {
    if (!this.moduleScope.bound.has(name)) return [];
    const statements = this.functionIndex().get(name) ?? [];
    // Only the statements asked for are moved into place (see AnalysisCache.settle).
    for (const statement of statements) this.settle(statement);
    return this.consult(statements.map((s) => undecorated(s)!));
  }

  /**
   * What the module's function `name` returns when no annotation says: the one array kind of every
   * value it returns (`return rec, kl` with both tensors gives tensor). Whoever asks depends on its
   * body (see `functionDefinitions`).
   */
  inferredReturnKind(name: string): Kind {
    if (this.inferring.has(name)) return undefined;
    if (this.inferredReturns.has(name)) {
      // Worked out for an earlier statement: this one depends on the body as well.
      this.functionDefinitions(name);
      return this.inferredReturns.get(name);
    }
    this.inferring.add(name);
    let kind: Kind;
    try {
      const definitions = this.functionDefinitions(name);
      const kinds = definitions.flatMap((fn) => returnedKinds(fn, this));
      kind = kinds.length && kinds.every((k) => k === kinds[0]) && isArrayKind(kinds[0]) ? kinds[0] : undefined;
    } finally {
      this.inferring.delete(name);
    }
    this.inferredReturns.set(name, kind);
    return kind;
  }

  /** Notes the top-level statements that hold `definitions`. */
  private consult(definitions: AstNode[]): AstNode[] {
    for (const d of definitions) {
      let statement = d;
      while (statement.parent && statement.parent !== this.root) statement = statement.parent;
      this.consulted.add(statement);
    }
    return definitions;
  }

  /** The top-level function statements by name. */
  private functionIndex(): Map<string, AstNode[]> {
    return this.memo('function-definitions', this.root, () => {
      const functions = new Map<string, AstNode[]>();
      // A `def` is named by its statement's own text, which is in place even while its inner nodes
      // are not; decorators on lines of their own are skipped (sticky: matched where the statement starts).
      const defName = /(?:@[^\n]*\n[ \t]*)*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*[([]/y;
      for (const statement of this.root.children) {
        if (undecorated(statement)?.type !== 'function_definition') continue;
        defName.lastIndex = statement.start;
        let name = defName.exec(this.source)?.[1];
        if (!name) {
          this.settle(statement);
          name = this.functionName(statement);
        }
        if (name) functions.set(name, [...(functions.get(name) ?? []), statement]);
      }
      return functions;
    });
  }

  /** The name of `node` when it is a function, decorated or not. */
  private functionName(node: AstNode): string | undefined {
    const fn = undecorated(node);
    const name = fn?.type === 'function_definition' ? child(fn, 'name') : undefined;
    return name && this.text(name);
  }

  /** The top-level class statements by the names of their methods. */
  private classesByMethod(): Map<string, AstNode[]> {
    return this.memo('classes-by-method', this.root, () => {
      const classes = new Map<string, AstNode[]>();
      for (const statement of this.root.children) {
        const cls = undecorated(statement);
        if (cls?.type !== 'class_definition') continue;
        let names = METHOD_NAMES.get(statement);
        if (!names) {
          this.settle(statement);
          names = methodsOf(cls).flatMap((fn) => this.functionName(fn) ?? []);
          METHOD_NAMES.set(statement, names);
        }
        for (const name of names) classes.set(name, [...(classes.get(name) ?? []), statement]);
      }
      return classes;
    });
  }

  /**
   * The top-level statements that rules looked into since the last call (and forgets them): the
   * findings found meanwhile hold only while those statements are as they were.
   */
  takeConsulted(): AstNode[] {
    const statements = [...this.consulted];
    this.consulted.clear();
    return statements;
  }

  /** Changes whenever something a statement's findings may depend on changes elsewhere in the module. */
  moduleFingerprint(): string {
    const aliases = [...this.imports.aliases].map(([k, v]) => `${k}=${v}`).join(';');
    const kinds = [...this.moduleScope.kinds].map(([k, v]) => `${k}:${v}`).join(';');
    const sizes = [...this.collectionSizes].map(([k, v]) => `${k}:${v}`).join(';');
    const integers = [...this.integerConstants].map(([k, v]) => `${k}:${v}`).join(';');
    return `${aliases}|${this.imports.starModules.join(';')}|${[...this.moduleScope.bound].sort().join(';')}|${kinds}|${sizes}|${[...this.scalarConstants].join(';')}|${integers}|${[...this.methodNames].sort().join(';')}|${[...this.returnKinds].map(([k, v]) => `${k}:${v}`).join(';')}`;
  }

  // --- Names --------------------------------------------------------------------------------

  /**
   * The qualified name an expression refers to through the imports: `np.linalg.inv` ->
   * `numpy.linalg.inv`, `F` -> `torch.nn.functional`. Undefined for local values.
   */
  qualifiedName(node: AstNode, scope?: Scope): string | undefined {
    const n = unparen(node);
    if (n.type === 'identifier') {
      const name = this.text(n);
      if (scope && !scope.isModule && (scope.bound.has(name) || scope.params.has(name))) return undefined;
      const alias = this.imports.aliases.get(name);
      if (alias) return alias;
      const moduleBound = (this.moduleScope ?? scope)?.bound;
      if (this.imports.starModules.length && !moduleBound?.has(name) && !BUILTINS.has(name)) {
        return `${this.imports.starModules[0]}.${name}`;
      }
      return undefined;
    }
    if (n.type === 'attribute') {
      const object = child(n, 'object');
      const attr = child(n, 'attribute');
      if (!object || !attr) return undefined;
      const base = this.qualifiedName(object, scope);
      return base ? `${base}.${this.text(attr)}` : undefined;
    }
    return undefined;
  }

  /** The local name a module is imported as (`numpy` -> `np`), if it is imported. */
  aliasOf(module: string): string | undefined {
    for (const [alias, q] of this.imports.aliases) if (q === module) return alias;
    return undefined;
  }

  /** The qualified name of what a call calls, when it is a module function (`numpy.append`). */
  calleeName(call: AstNode, scope?: Scope): string | undefined {
    const fn = child(call, 'function');
    return fn ? this.qualifiedName(fn, scope) : undefined;
  }

  /** For `recv.method(...)`: the receiver and the method name. */
  methodCall(call: AstNode): { receiver: AstNode; method: string } | undefined {
    const fn = child(call, 'function');
    if (!fn || fn.type !== 'attribute') return undefined;
    const receiver = child(fn, 'object');
    const attr = child(fn, 'attribute');
    if (!receiver || !attr) return undefined;
    return { receiver, method: this.text(attr) };
  }

  /** The plain name a call calls (`len`, `print`), when it is a bare identifier. */
  bareCallee(call: AstNode): string | undefined {
    const fn = child(call, 'function');
    return fn && fn.type === 'identifier' ? this.text(fn) : undefined;
  }

  /** True when `name` in `scope` is a builtin (not shadowed by a local, a global or an import). */
  isBuiltin(name: string, scope: Scope): boolean {
    return (
      BUILTINS.has(name) &&
      !scope.bound.has(name) &&
      !scope.params.has(name) &&
      !(this.moduleScope ?? scope).bound.has(name)
    );
  }

  // --- Scopes -------------------------------------------------------------------------------

  /** The function (or the module) whose local names `node` sees. Lambdas and comprehensions count as part of it. */
  enclosingScope(node: AstNode): Scope {
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === 'function_definition') return this.scopeOf(n);
    }
    // Rules look through the whole of the scope they are in: at module level, every statement
    // except the bodies of definitions (their own scopes).
    if (!this.moduleSettled) {
      for (const statement of this.root.children) this.settle(statement, false);
      this.moduleSettled = true;
    }
    return this.moduleScope;
  }

  scopeOf(node: AstNode): Scope {
    return this.memo('scope', node, () => buildScope(node, this));
  }

  /** The kind of value an expression evaluates to. */
  kindOf(node: AstNode, scope: Scope): Kind {
    return expressionKind(node, scope, this, 0);
  }

  /** The kind of a name as `scope` sees it (its own binding, else the module's). */
  nameKind(name: string, scope: Scope): Kind {
    const own = scope.kinds.get(name);
    if (own) return own;
    if (!scope.isModule && (scope.bound.has(name) || scope.params.has(name))) return undefined;
    // While the module scope itself is being built, it is the scope asking.
    return (this.moduleScope ?? scope).kinds.get(name);
  }

  /** True inside a function compiled by Numba (`@njit`, `@numba.jit`, `@cuda.jit`, `@vectorize`, ...). */
  isCompiled(node: AstNode): boolean {
    for (let n = node.parent; n; n = n.parent) {
      if (n.type !== 'function_definition') continue;
      let known = this.compiled.get(n);
      if (known === undefined) {
        known = this.decoratorNames(n).some((d) => NUMBA_DECORATORS.has(d));
        this.compiled.set(n, known);
      }
      if (known) return true;
    }
    return false;
  }

  decoratorNames(fn: AstNode): string[] {
    const decorated = fn.parent;
    if (!decorated || decorated.type !== 'decorated_definition') return [];
    const names: string[] = [];
    for (const d of decorated.children) {
      if (d.type !== 'decorator') continue;
      let expr = d.children[0];
      if (!expr) continue;
      if (expr.type === 'call') expr = child(expr, 'function') ?? expr;
      const q = this.qualifiedName(expr);
      if (q) names.push(q);
    }
    return names;
  }

  /** Computes `compute()` once per (tag, node) for the life of this analysis. */
  memo<T>(tag: string, node: AstNode, compute: () => T): T {
    let table = this.memos.get(tag);
    if (!table) this.memos.set(tag, (table = new Map()));
    if (table.has(node)) return table.get(node) as T;
    const value = compute();
    table.set(node, value);
    return value;
  }

  // --- Loops --------------------------------------------------------------------------------

  /** What a loop (or comprehension) binds and mutates; cached. */
  loop(node: AstNode): LoopFacts {
    return this.memo('loop', node, () => loopFacts(node, this));
  }

  /** The innermost loop or comprehension holding `node` within its own scope. */
  innermostLoop(node: AstNode, withComprehensions = true): AstNode | undefined {
    for (let n = node.parent, prev: AstNode = node; n; prev = n, n = n.parent) {
      if (SCOPE_TYPES.has(n.type)) return undefined;
      if (LOOP_TYPES.has(n.type)) {
        // The iterable of a `for` is evaluated once, before the loop runs.
        if (n.type === 'for_statement' && prev.field === 'right') continue;
        return n;
      }
      if (withComprehensions && COMPREHENSION_TYPES.has(n.type)) {
        // The first iterable of a comprehension is evaluated outside it.
        const firstClause = n.children.find((c) => c.type === 'for_in_clause');
        if (firstClause && prev === firstClause && isFirstIterable(firstClause, node)) continue;
        return n;
      }
    }
    return undefined;
  }
}

function isFirstIterable(clause: AstNode, node: AstNode): boolean {
  const right = child(clause, 'right');
  for (let n: AstNode | null = node; n && n !== clause; n = n.parent) if (n === right) return true;
  return false;
}

// --- Building scopes --------------------------------------------------------------------------

function collectionSizes(root: AstNode, sem: Semantics): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const s of root.children) {
    const a = s.type === 'expression_statement' ? s.children[0] : undefined;
    if (a?.type !== 'assignment') continue;
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left && right && ['list', 'tuple', 'set', 'dictionary'].includes(right.type)) sizes.set(sem.text(left), right.children.length);
  }
  return sizes;
}

/** Module-level names assigned a number or arithmetic on numbers and earlier such names. */
function scalarConstants(root: AstNode, sem: Semantics): Set<string> {
  const names = new Set<string>();
  const rebound = new Set<string>();
  for (const s of root.children) {
    const a = s.type === 'expression_statement' ? s.children[0] : undefined;
    if (a?.type !== 'assignment' && a?.type !== 'augmented_assignment') continue;
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left?.type !== 'identifier' || !right) continue;
    const name = sem.text(left);
    if (a.type === 'assignment' && !rebound.has(name) && isNumberExpression(right, (leaf) => leaf.type === 'identifier' && names.has(sem.text(leaf)))) names.add(name);
    else {
      names.delete(name);
      rebound.add(name);
    }
  }
  return names;
}

const ARRAY_RETURN = /^((torch|np|numpy|pd|pandas|npt)\.)?(Tensor|ndarray|NDArray(\[.*\])?|DataFrame|Series)$/;

/** Top-level functions whose return annotation is exactly an array, tensor or frame type. */
function returnKinds(root: AstNode, sem: Semantics): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (const s of root.children) {
    const fn = undecorated(s);
    if (fn?.type !== 'function_definition') continue;
    const name = child(fn, 'name');
    const annotation = child(fn, 'return_type');
    if (!name || !annotation) continue;
    const text = sem.text(annotation).replace(/\s+/g, '');
    if (ARRAY_RETURN.test(text)) kinds.set(sem.text(name), annotationKind(text) ?? 'ndarray');
  }
  return kinds;
}

/** The kinds of the values `fn` returns, each item of a returned tuple apart; undefined for one not known. */
function returnedKinds(fn: AstNode, sem: Semantics): Kind[] {
  const scope = sem.scopeOf(fn);
  const kinds: Kind[] = [];
  for (const n of descendantsInScope(child(fn, 'body') ?? fn)) {
    if (n.type !== 'return_statement') continue;
    const value = n.children.find((c) => c.type !== 'comment');
    if (!value) return [undefined];
    const items = value.type === 'expression_list' || unparen(value).type === 'tuple' ? unparen(value).children : [value];
    for (const item of items) kinds.push(sem.kindOf(item, scope));
  }
  return kinds;
}

/** The scalar constants bound to a plain integer literal, with their values. */
function integerConstants(root: AstNode, scalars: ReadonlySet<string>, sem: Semantics): Map<string, number> {
  const values = new Map<string, number>();
  for (const s of root.children) {
    const a = s.type === 'expression_statement' ? s.children[0] : undefined;
    const left = a?.type === 'assignment' ? child(a, 'left') : undefined;
    const right = a && child(a, 'right');
    if (left?.type !== 'identifier' || right?.type !== 'integer' || !scalars.has(sem.text(left))) continue;
    const value = Number(sem.text(right).replace(/_/g, ''));
    if (Number.isFinite(value)) values.set(sem.text(left), value);
  }
  return values;
}

/** The value of a plain string literal (no f-string fields), without its quotes and prefix. */
export function stringLiteralValue(n: AstNode, sem: Semantics): string | undefined {
  if (n.type !== 'string' || n.children.some((c) => c.type === 'interpolation')) return undefined;
  const m = /^[rbuRBU]*(['"])(.*)\1$/s.exec(sem.text(n));
  return m ? m[2] : undefined;
}

/** The literal string key of `df["key"]`. */
export function subscriptKey(subscript: AstNode, sem: Semantics): string | undefined {
  const subs = subscript.children.filter((c) => c.field === 'subscript');
  return subs.length === 1 ? stringLiteralValue(subs[0], sem) : undefined;
}

/** A number literal, or arithmetic on numbers and the other operands (names, calls) `isNumber` accepts. */
export function isNumberExpression(node: AstNode, isNumber: (leaf: AstNode) => boolean): boolean {
  const n = unparen(node);
  switch (n.type) {
    case 'integer':
    case 'float':
      return true;
    case 'unary_operator':
      return !!child(n, 'argument') && isNumberExpression(child(n, 'argument')!, isNumber);
    case 'binary_operator':
      return !!child(n, 'left') && !!child(n, 'right') && isNumberExpression(child(n, 'left')!, isNumber) && isNumberExpression(child(n, 'right')!, isNumber);
    default:
      return isNumber(n);
  }
}

/**
 * The method names of top-level class statements. A statement node has the same text for as long
 * as it lives (the incremental cache reuses statements only where their text is unchanged), so
 * its names hold across analyses, and looking them up needs no move of the class's nodes.
 */
const METHOD_NAMES = new WeakMap<AstNode, string[]>();

/** NumPy functions that return a tuple of arrays. */
const ARRAY_TUPLES = /^numpy\.(nonzero|where|unravel_index|meshgrid|histogram|histogram2d|unique|triu_indices|tril_indices|diag_indices|broadcast_arrays|linalg\.(eig|eigh|svd|qr))$/;

function buildScope(node: AstNode, sem: Semantics): Scope {
  const isModule = node.type === 'module';
  const scope: Scope = {
    node,
    isModule,
    params: new Set(),
    numberParams: new Set(),
    plainParams: new Set(),
    bound: new Set(),
    declaredGlobal: new Set(),
    kinds: new Map(),
  };
  const body = isModule ? node : child(node, 'body');
  if (!isModule) collectParams(node, scope, sem);
  if (!body) return scope;
  const assignments: AstNode[] = [];
  for (const n of descendantsInScope(body)) {
    if (n !== body && SCOPE_TYPES.has(n.type)) {
      // A nested def or class binds its own name here.
      const name = child(n, 'name');
      if (name && n.type !== 'lambda') scope.bound.add(sem.text(name));
      continue;
    }
    switch (n.type) {
      case 'assignment':
      case 'augmented_assignment':
        bindTargets(child(n, 'left'), scope, sem);
        assignments.push(n);
        break;
      case 'for_statement':
      case 'for_in_clause':
        bindTargets(child(n, 'left'), scope, sem);
        break;
      case 'named_expression':
        bindTargets(child(n, 'name'), scope, sem);
        break;
      case 'as_pattern':
        bindTargets(child(n, 'alias'), scope, sem);
        break;
      case 'import_statement':
      case 'import_from_statement':
        for (const c of n.children) {
          if (c.type === 'dotted_name' && c.field === 'name') scope.bound.add(sem.text(c).split('.')[0]);
          if (c.type === 'aliased_import') {
            const alias = child(c, 'alias');
            if (alias) scope.bound.add(sem.text(alias));
          }
        }
        break;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of n.children) if (c.type === 'identifier') scope.declaredGlobal.add(sem.text(c));
        break;
    }
  }
  for (const g of scope.declaredGlobal) scope.bound.delete(g);
  if (!isModule) inferParamKinds(body, scope, sem);
  // Kinds: a name holds an array when any assignment gives it one (two passes settle chains).
  for (let pass = 0; pass < 2; pass++) {
    for (const a of assignments) {
      const left = child(a, 'left');
      const right = child(a, 'right');
      if (!left || !right) continue;
      if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
        // `logits, mu, logvar = model(x)`: a network's (or a tensor function's) results are tensors;
        // `ys, xs = np.nonzero(mask)`: NumPy's functions that return several arrays.
        const call = unparen(right);
        const kind = pass === 0 && a.type === 'assignment' && call.type === 'call' ? sem.kindOf(call, scope) : undefined;
        if (kind === 'tensor' || (kind === 'ndarray' && ARRAY_TUPLES.test(sem.calleeName(call, scope) ?? ''))) {
          for (const t of left.children) if (t.type === 'identifier' && !scope.kinds.has(sem.text(t))) scope.kinds.set(sem.text(t), kind);
        }
        continue;
      }
      if (left.type !== 'identifier') continue;
      const name = sem.text(left);
      if (scope.kinds.has(name) && isArrayKind(scope.kinds.get(name))) continue;
      const kind = a.type === 'assignment' ? sem.kindOf(right, scope) : undefined;
      if (kind) scope.kinds.set(name, kind);
    }
  }
  bindLoopTargets(body, scope, sem);
  return scope;
}

/** `for xb, yb in loader` gives tensors; `for x in arr` gives elements (left unknown). */
function bindLoopTargets(body: AstNode, scope: Scope, sem: Semantics): void {
  for (const n of descendantsInScope(body)) {
    if (n.type !== 'for_statement') continue;
    const right = child(n, 'right');
    const left = child(n, 'left');
    if (!right || !left) continue;
    if (sem.kindOf(right, scope) === 'loader' || looksLikeLoader(right, sem)) {
      for (const id of descendants(left)) {
        if (id.type === 'identifier') {
          const name = sem.text(id);
          // `for step, (x, y) in enumerate(loader)`: the counter is an int.
          if (!scope.kinds.has(name) && !isEnumerateCounter(right, left, id)) scope.kinds.set(name, 'tensor');
        }
      }
    }
  }
}

function isEnumerateCounter(right: AstNode, left: AstNode, id: AstNode): boolean {
  const r = unparen(right);
  if (r.type !== 'call') return false;
  const fn = child(r, 'function');
  if (!fn || fn.type !== 'identifier') return false;
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [left];
  return targets[0] === id;
}

const LOADER_NAME = /(loader|batches|dataloader|^dl$|_dl$|data_iter|batch_iter)/i;

/** An iterable that yields batches: a DataLoader-like name, possibly wrapped in enumerate/tqdm/zip. */
export function looksLikeLoader(node: AstNode, sem: Semantics): boolean {
  return iterationSources(node, sem).some((n) => {
    if (n.type === 'call') return /DataLoader$/.test(sem.text(child(n, 'function') ?? n));
    if (n.type === 'identifier') return LOADER_NAME.test(sem.text(n));
    return n.type === 'attribute' && LOADER_NAME.test(sem.text(child(n, 'attribute') ?? n));
  });
}

function bindTargets(target: AstNode | undefined, scope: Scope, sem: Semantics): void {
  if (!target) return;
  const t = unparen(target);
  if (t.type === 'identifier') {
    scope.bound.add(sem.text(t));
    return;
  }
  if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'expression_list' || t.type === 'tuple' || t.type === 'list') {
    for (const c of t.children) bindTargets(c, scope, sem);
  } else if (t.type === 'list_splat_pattern') {
    for (const c of t.children) bindTargets(c, scope, sem);
  }
}

function collectParams(fn: AstNode, scope: Scope, sem: Semantics): void {
  const params = child(fn, 'parameters');
  if (!params) return;
  for (const p of params.children) {
    let nameNode: AstNode | undefined;
    let annotation: AstNode | undefined;
    if (p.type === 'identifier') nameNode = p;
    else if (p.type === 'typed_parameter') {
      nameNode = p.children.find((c) => c.type === 'identifier');
      annotation = child(p, 'type');
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      nameNode = child(p, 'name');
      annotation = child(p, 'type');
    } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      nameNode = p.children.find((c) => c.type === 'identifier');
    }
    if (!nameNode) continue;
    const name = sem.text(nameNode);
    scope.params.add(name);
    const value = child(p, 'value');
    if ((annotation && /^(int|float)$/.test(sem.text(annotation))) || (value && isNumberExpression(value, (leaf) => leaf.type === 'identifier' && !!sem.scalarConstants?.has(sem.text(leaf))))) scope.numberParams.add(name);
    const kind = annotation ? annotationKind(sem.text(annotation)) : undefined;
    if (kind) scope.kinds.set(name, kind);
    else if ((annotation && PLAIN_ANNOTATION.test(sem.text(annotation))) || (!annotation && value && PLAIN_DEFAULTS.has(value.type))) scope.plainParams.add(name);
  }
}

const PLAIN_ANNOTATION = /^(typing\.)?(Optional\[)?(typing\.)?(List|list|Sequence|Iterable|Iterator|Tuple|tuple|Dict|dict|Mapping|Set|set|str|bytes|int|float|bool)\b/;
const PLAIN_DEFAULTS = new Set(['tuple', 'list', 'string', 'integer', 'float', 'true', 'false']);

function annotationKind(text: string): Kind {
  if (/DataFrame/.test(text)) return 'frame';
  if (/\bSeries\b/.test(text)) return 'series';
  if (/Tensor/.test(text)) return 'tensor';
  if (/ndarray|NDArray|ArrayLike/.test(text)) return 'ndarray';
  if (/DataLoader/.test(text)) return 'loader';
  if (/Module\b/.test(text)) return 'model';
  return undefined;
}

const STRONG_ARRAY_ATTRIBUTES = new Set(['shape', 'ndim', 'dtype']);
const ARRAY_ATTRIBUTES = new Set(['shape', 'ndim', 'dtype', 'T', 'size', 'flat', 'real', 'imag']);
const ARRAY_METHODS = new Set([
  'reshape', 'astype', 'flatten', 'ravel', 'mean', 'std', 'var', 'sum', 'prod', 'min', 'max', 'argmax', 'argmin',
  'cumsum', 'cumprod', 'dot', 'transpose', 'clip', 'round', 'nonzero', 'any', 'all', 'squeeze', 'swapaxes', 'fill',
]);
const TENSOR_METHODS = new Set([
  'item', 'cpu', 'cuda', 'detach', 'numpy', 'unsqueeze', 'view', 'permute', 'new_zeros', 'new_ones', 'new_full',
  'new_empty', 'backward', 'contiguous', 'float', 'long', 'half', 'bfloat16', 'softmax', 'log_softmax', 'matmul',
  'norm', 'topk', 'argsort', 'masked_fill', 'gather', 'scatter_', 'index_select', 'numel', 'dim',
]);
const FRAME_METHODS = new Set([
  'iterrows', 'itertuples', 'groupby', 'merge', 'assign', 'pct_change', 'rolling', 'reset_index', 'set_index',
  'sort_values', 'drop', 'dropna', 'fillna', 'to_numpy', 'apply', 'join', 'pivot_table', 'query', 'select_dtypes',
]);
const FRAME_ATTRIBUTES = new Set(['loc', 'iloc', 'at', 'iat', 'columns', 'index', 'values', 'dt', 'str']);

/** Parameters used as arrays, tensors or frames (`.shape`, `x[i, j]`, `.iterrows()`, `np.f(x)`, ...). */
/** A NumPy `Generator` passed in (`rng.integers(...)`): its draws are arrays. */
const GENERATOR_METHODS = new Set(['integers', 'standard_normal', 'permutation', 'normal', 'uniform', 'choice', 'binomial', 'poisson', 'exponential']);
const GENERATOR_NAME = /^(rng|gen|generator|random_state|prng|np_rng)$/i;

function inferParamKinds(body: AstNode, scope: Scope, sem: Semantics): void {
  const evidence = new Map<string, Kind>();
  // A method's `self` is an instance of its own class: `self.values(s)` or `self.shape` is its own member, no sign of an array.
  const instance = instanceParameter(scope.node, sem);
  const note = (name: string, kind: Kind, strong = false) => {
    if (name === instance) return;
    // Parameters take any evidence; other names only the unmistakable kind (`x.shape`).
    // A parameter declared a plain Python value (`mol: Dict`) is one, however it is used.
    if ((!scope.params.has(name) && !(strong && scope.bound.has(name))) || scope.kinds.has(name) || scope.plainParams.has(name)) return;
    const old = evidence.get(name);
    // Specific evidence (tensor, frame) wins over generic array evidence.
    if (!old || old === 'array') evidence.set(name, kind);
  };
  for (const n of descendantsInScope(body)) {
    if (n.type === 'attribute') {
      const object = child(n, 'object');
      const attr = child(n, 'attribute');
      if (!object || !attr || object.type !== 'identifier') continue;
      const name = sem.text(object);
      const a = sem.text(attr);
      const isCall = n.parent?.type === 'call' && n.field === 'function';
      if (FRAME_ATTRIBUTES.has(a) || (isCall && FRAME_METHODS.has(a))) note(name, 'frame');
      else if (isCall && TENSOR_METHODS.has(a)) note(name, 'tensor');
      else if (isCall && GENERATOR_METHODS.has(a) && GENERATOR_NAME.test(name)) note(name, 'rng');
      else if (STRONG_ARRAY_ATTRIBUTES.has(a) && !isCall) note(name, 'array', true);
      else if (ARRAY_ATTRIBUTES.has(a) || (isCall && ARRAY_METHODS.has(a))) note(name, 'array');
    } else if (n.type === 'subscript') {
      const value = child(n, 'value');
      if (!value || value.type !== 'identifier') continue;
      const subs = n.children.filter((c) => c.field === 'subscript');
      const name = sem.text(value);
      if (subs.length > 1 || subs.some((s) => s.type === 'slice' && n.parent?.type === 'subscript')) note(name, 'array');
      else if (subs.length === 1 && subs[0].type === 'string') note(name, 'frame');
      else if (subs.length === 1 && (subs[0].type === 'ellipsis' || sem.text(subs[0]) === 'None')) note(name, 'array');
    } else if (n.type === 'call') {
      const callee = sem.calleeName(n, scope);
      if (!callee) continue;
      const lib = libraryKind(callee);
      if (!lib) continue;
      const args = child(n, 'arguments');
      for (const a of args?.children ?? []) {
        const arg = a.type === 'keyword_argument' ? undefined : unparen(a);
        if (arg?.type === 'identifier') note(sem.text(arg), lib);
      }
    }
  }
  for (const [name, kind] of evidence) scope.kinds.set(name, kind);
}

/** The class a function is defined in, as a method (decorated or not). */
export function classOfMethod(fn: AstNode): AstNode | undefined {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  const block = (decorated ?? fn).parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : undefined;
}

/** The first parameter of a method defined in a class body (`self`, `cls`), unless it is a `@staticmethod`. */
export function instanceParameter(fn: AstNode, sem: Semantics): string | undefined {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  if (fn.type !== 'function_definition' || !classOfMethod(fn)) return undefined;
  if (decorated?.children.some((d) => d.type === 'decorator' && /^@\s*staticmethod\b/.test(sem.text(d)))) return undefined;
  const first = child(fn, 'parameters')?.children.find((p) => p.type === 'identifier' || p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter');
  if (!first) return undefined;
  const name = first.type === 'identifier' ? first : first.type === 'typed_parameter' ? first.children.find((c) => c.type === 'identifier') : child(first, 'name');
  return name ? sem.text(name) : undefined;
}

/** The kind of value functions of a library take and return. */
function libraryKind(qualified: string): Kind {
  const top = qualified.split('.')[0];
  if (top === 'numpy' || top === 'scipy') return 'ndarray';
  if (top === 'torch') {
    if (qualified.startsWith('torch.nn.') && !qualified.startsWith('torch.nn.functional')) return undefined;
    if (qualified.startsWith('torch.optim') || qualified.startsWith('torch.utils')) return undefined;
    return 'tensor';
  }
  if (top === 'pandas') return 'frame';
  return undefined;
}

const COPY_METHODS = new Set(['copy', 'astype', 'reshape', 'ravel', 'flatten']);

/**
 * `.cuda()`, or `.to(...)` given a device (`device`, `self.device`, `x.device`, `"cuda:0"`,
 * `torch.device(...)`) or `non_blocking=`: torch's move between devices (not a unit conversion's `.to`).
 */
function movesToDevice(call: AstNode, method: string, sem: Semantics): boolean {
  if (method === 'cuda') return true;
  if (method !== 'to') return false;
  return (child(call, 'arguments')?.children ?? []).some((a) => {
    if (a.type === 'keyword_argument') return /^(non_blocking|device)$/.test(sem.text(child(a, 'name') ?? a));
    return /^(\w+\.)*device$|^['"]cuda(:\d+)?['"]$|^torch\.device\(/.test(sem.text(a));
  });
}

/** A receiver that is a network: named as one (`model`, `criterion`), or a class instantiated on the spot. */
function looksLikeNetwork(receiver: AstNode, sem: Semantics): boolean {
  const r = unparen(receiver);
  const name = sem.text(r.type === 'attribute' ? (child(r, 'attribute') ?? r) : r);
  if (r.type === 'identifier' || r.type === 'attribute') return NETWORK_NAME.test(name) || MODEL_NAME.test(name);
  const fn = r.type === 'call' ? child(r, 'function') : undefined;
  return !!fn && /^[A-Z]/.test(sem.text(fn.type === 'attribute' ? (child(fn, 'attribute') ?? fn) : fn));
}

/** The module imports NumPy or torch: its parameters are likely arrays. */
export function moduleUsesArrays(sem: Semantics): boolean {
  const arrays = (q: string) => /^(numpy|torch)(\.|$)/.test(q);
  for (const q of sem.imports.aliases.values()) if (arrays(q)) return true;
  return sem.imports.starModules.some(arrays);
}

// --- Kinds of expressions -----------------------------------------------------------------------

/**
 * Names of networks a step calls: `model`, `unet`, `text_encoder`, `q_net`, `agent`, `teacher`; not
 * the functions that make or run one (`build_model`, `train_model`).
 */
export const NETWORK_NAME = /^(?!(build|create|make|get|load|init|new|train|fit|save|eval|evaluate|run|test|setup|prepare|export|wrap|compile|freeze)_)(\w+_)?(model|u?net|network|encoder|decoder|policy|critic|actor|agent|classifier|backbone|generator|discriminator|teacher|student|denoiser)\d*$/i;
const MODEL_NAME = /^(module|head|loss_fn|criterion)\d*$/i;

function expressionKind(node: AstNode, scope: Scope, sem: Semantics, depth: number): Kind {
  if (depth > 12) return undefined;
  const n = unparen(node);
  switch (n.type) {
    case 'identifier':
      return sem.nameKind(sem.text(n), scope);
    case 'call': {
      const callee = sem.calleeName(n, scope);
      if (callee) return calleeKind(callee);
      const m = sem.methodCall(n);
      if (m) {
        const recv = expressionKind(m.receiver, scope, sem, depth + 1);
        if (recv === 'rng') return 'ndarray';
        if (recv === 'model') return m.method === 'parameters' ? undefined : 'tensor';
        // Only a tensor has `.detach()`: whatever it was called on, the result is one.
        if (m.method === 'detach' && !isArrayKind(recv)) return 'tensor';
        // `batch["ids"].to(device)`: moved to a device, a tensor (a network moved is named as one, or
        // made by its class).
        if (recv === undefined && movesToDevice(n, m.method, sem) && !looksLikeNetwork(m.receiver, sem)) return 'tensor';
        // `p.copy()` of a parameter, in a module that works with arrays, is an array copy.
        if (recv === undefined && COPY_METHODS.has(m.method) && unparen(m.receiver).type === 'identifier' && scope.params.has(sem.text(unparen(m.receiver))) && moduleUsesArrays(sem)) return 'array';
        if (isArrayKind(recv)) {
          if (m.method === 'item' || m.method === 'tolist') return undefined;
          if (recv === 'frame' && (m.method === 'to_numpy')) return 'ndarray';
          return recv;
        }
        return undefined;
      }
      const fn = child(n, 'function');
      if (fn) {
        const fk = expressionKind(fn, scope, sem, depth + 1);
        if (fk === 'model') return 'tensor';
        if (fn.type === 'identifier' && !scope.bound.has(sem.text(fn)) && !scope.params.has(sem.text(fn))) {
          const returned = sem.returnKinds?.get(sem.text(fn));
          if (returned) return returned;
          // The module's facts hold while only function bodies change: only functions look into other bodies.
          const inferred = scope.isModule ? undefined : sem.inferredReturnKind(sem.text(fn));
          if (inferred) return inferred;
        }
        if (fn.type === 'identifier' && (NETWORK_NAME.test(sem.text(fn)) || MODEL_NAME.test(sem.text(fn))) && !sem.isBuiltin(sem.text(fn), scope)) return 'tensor';
        if (fn.type === 'attribute' && /^self\.\w+$/.test(sem.text(fn)) && fk === undefined) return undefined;
      }
      return undefined;
    }
    case 'attribute': {
      const object = child(n, 'object');
      const attr = child(n, 'attribute');
      if (!object || !attr) return undefined;
      const q = sem.qualifiedName(n, scope);
      if (q) return undefined;
      const a = sem.text(attr);
      const ok = expressionKind(object, scope, sem, depth + 1);
      if (a === 'T' || a === 'values') return ok === 'frame' || ok === 'series' ? 'ndarray' : ok;
      if (ok === 'frame' && !FRAME_ATTRIBUTES.has(a) && a !== 'shape') return 'series';
      return undefined;
    }
    case 'subscript': {
      const value = child(n, 'value');
      if (!value) return undefined;
      const vk = expressionKind(value, scope, sem, depth + 1);
      if (vk === 'frame') {
        const sub = n.children.find((c) => c.field === 'subscript');
        return sub && sub.type === 'string' ? 'series' : 'frame';
      }
      // A slice of an array is an array; one element is not known to be.
      if (isArrayKind(vk) && n.children.some((c) => c.field === 'subscript' && (c.type === 'slice' || c.type === 'ellipsis'))) return vk;
      return undefined;
    }
    case 'binary_operator': {
      const l = child(n, 'left');
      const r = child(n, 'right');
      const lk = l ? expressionKind(l, scope, sem, depth + 1) : undefined;
      if (isArrayKind(lk)) return lk;
      const rk = r ? expressionKind(r, scope, sem, depth + 1) : undefined;
      return isArrayKind(rk) ? rk : undefined;
    }
    case 'boolean_operator': {
      // `rng = rng or np.random.default_rng()`
      const l = child(n, 'left');
      const r = child(n, 'right');
      return (l && expressionKind(l, scope, sem, depth + 1)) ?? (r ? expressionKind(r, scope, sem, depth + 1) : undefined);
    }
    case 'unary_operator': {
      const arg = child(n, 'argument');
      return arg ? expressionKind(arg, scope, sem, depth + 1) : undefined;
    }
    case 'comparison_operator': {
      for (const c of n.children) {
        const k = expressionKind(c, scope, sem, depth + 1);
        if (isArrayKind(k)) return k;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function calleeKind(callee: string): Kind {
  if (callee === 'numpy.random.default_rng' || callee === 'numpy.random.RandomState') return 'rng';
  if (callee.startsWith('torch.utils.data.DataLoader') || callee.endsWith('.DataLoader')) return 'loader';
  if (callee.startsWith('torch.optim.')) return 'optimizer';
  // `clip_grad_norm_` returns the total norm; other utilities return modules, sequences or nothing.
  if (/^torch\.nn\.utils\.(clip_grad_norm_?|get_total_norm|parameters_to_vector)$/.test(callee)) return 'tensor';
  if (/^torch\.nn\.utils\.(clip_grad_value_|vector_to_parameters|rnn\.)/.test(callee)) return undefined;
  if (callee.startsWith('torch.nn.') && !callee.startsWith('torch.nn.functional')) return 'model';
  if (callee === 'torch.device' || callee.startsWith('torch.cuda.') || callee === 'torch.no_grad') return undefined;
  // Process-group queries and collectives answer Python values (`get_rank()`) or work handles.
  if (callee.startsWith('torch.distributed.') || /^torch\.(is_\w+|get_\w+|set_\w+|manual_seed|save|numel|backends\.|onnx\.)/.test(callee)) return undefined;
  if (callee.startsWith('pandas.')) {
    if (callee === 'pandas.Series') return 'series';
    if (/^pandas\.(read_|DataFrame|concat|merge|pivot|get_dummies)/.test(callee)) return 'frame';
    return undefined;
  }
  if (callee.startsWith('numpy.')) {
    if (/^numpy\.(save|savez|printoptions|seterr|set_printoptions)/.test(callee)) return undefined;
    return 'ndarray';
  }
  if (callee.startsWith('torch.')) return 'tensor';
  return undefined;
}

export const BUILTINS = new Set([
  'abs', 'all', 'any', 'ascii', 'bin', 'bool', 'bytearray', 'bytes', 'callable', 'chr', 'complex', 'dict', 'dir',
  'divmod', 'enumerate', 'filter', 'float', 'format', 'frozenset', 'getattr', 'hasattr', 'hash', 'hex', 'id',
  'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'map', 'max', 'min', 'next', 'object', 'oct', 'open',
  'ord', 'pow', 'print', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'str', 'sum',
  'super', 'tuple', 'type', 'vars', 'zip', 'True', 'False', 'None', 'Exception', 'ValueError', 'TypeError',
  'KeyError', 'IndexError', 'RuntimeError', 'StopIteration', 'NotImplementedError', 'AssertionError', 'self',
]);

