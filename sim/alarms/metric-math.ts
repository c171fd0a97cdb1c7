/** A time series: value per timestamp (epoch ms). */
export type Series = Map<number, number>;

type Value = number | Series | Series[];

/** Why an expression could not be evaluated (answered to the alarm as a reason, never thrown at callers). */
export class MetricMathError extends Error {
  override readonly name = 'MetricMathError';
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))/gy;

/**
 * Evaluates a CloudWatch metric-math expression over series: `+ - * /`, parentheses, numbers, query ids,
 * and FILL(x, v), ABS(x), SUM/AVG/MIN/MAX([x, y] or x, y) point by point, METRICS(). `grid` lists the period
 * timestamps of the evaluation range (FILL uses it to find missing datapoints).
 */
export function evaluateExpression(expression: string, series: ReadonlyMap<string, Series>, grid: readonly number[]): Series {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (expected?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) throw new MetricMathError(`expected ${expected ?? 'a token'} in "${expression}"`);
    return t;
  };
  const expr = (): Value => {
    let left = term();
    while (peek() === '+' || peek() === '-') left = binary(take(), left, term());
    return left;
  };
  const term = (): Value => {
    let left = factor();
    while (peek() === '*' || peek() === '/') left = binary(take(), left, factor());
    return left;
  };
  const factor = (): Value => (peek() === '-' ? (take(), binary('*', -1, factor())) : primary());
  const primary = (): Value => {
    const t = take();
    if (t === '(') {
      const v = expr();
      take(')');
      return v;
    }
    if (t === '[') {
      const items: Series[] = [];
      while (peek() !== ']') {
        items.push(asSeries(expr()));
        if (peek() === ',') take(',');
      }
      take(']');
      return items;
    }
    if (/^\d/.test(t)) return Number(t);
    if (peek() === '(') {
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(expr());
        if (peek() === ',') take(',');
      }
      take(')');
      return call(t.toUpperCase(), args, series, grid);
    }
    const found = series.get(t);
    if (!found) throw new MetricMathError(`unknown id ${t}`);
    return found;
  };
  const result = expr();
  if (i < tokens.length) throw new MetricMathError(`unexpected "${tokens[i]}" in "${expression}"`);
  return asSeries(result);
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < expression.length && (match = TOKEN.exec(expression))) {
    const token = match[1] ?? match[2] ?? match[3];
    if (token !== undefined && token.trim() !== '') tokens.push(token);
  }
  return tokens;
}

function call(name: string, args: Value[], series: ReadonlyMap<string, Series>, grid: readonly number[]): Value {
  switch (name) {
    case 'METRICS':
      return [...series.values()];
    case 'FILL': {
      const [source, fill] = args;
      if (typeof fill !== 'number') throw new MetricMathError('FILL needs a number as its second argument');
      const s = asSeries(source ?? 0);
      return new Map(grid.map((t) => [t, s.get(t) ?? fill]));
    }
    case 'ABS':
      return mapSeries(asSeries(args[0] ?? 0), Math.abs);
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX': {
      const list = args.flatMap((a) => (Array.isArray(a) ? a : [asSeries(a)]));
      const out: Series = new Map();
      const times = new Set(list.flatMap((s) => [...s.keys()]));
      for (const t of times) {
        const values = list.map((s) => s.get(t)).filter((v): v is number => v !== undefined);
        if (values.length === 0) continue;
        const sum = values.reduce((a, b) => a + b, 0);
        out.set(t, name === 'SUM' ? sum : name === 'AVG' ? sum / values.length : name === 'MIN' ? Math.min(...values) : Math.max(...values));
      }
      return out;
    }
    default:
      throw new MetricMathError(`function ${name} is not supported by the stand-in`);
  }
}

function binary(op: string, a: Value, b: Value): Value {
  const f = (x: number, y: number): number => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0 ? NaN : x / y);
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  if (typeof a === 'number') return mapSeries(asSeries(b), (y) => f(a, y));
  if (typeof b === 'number') return mapSeries(asSeries(a), (x) => f(x, b));
  const left = asSeries(a);
  const right = asSeries(b);
  const out: Series = new Map();
  // Points exist where both operands have one, as CloudWatch aligns series on timestamps.
  for (const [t, x] of left) {
    const y = right.get(t);
    if (y !== undefined) out.set(t, f(x, y));
  }
  return out;
}

function mapSeries(s: Series, f: (v: number) => number): Series {
  return new Map([...s].map(([t, v]) => [t, f(v)]));
}

function asSeries(v: Value): Series {
  if (Array.isArray(v)) {
    if (v.length !== 1 || !v[0]) throw new MetricMathError('an array of series is not a single series');
    return v[0];
  }
  if (typeof v === 'number') throw new MetricMathError('the expression yields a number, not a time series');
  return v;
}
