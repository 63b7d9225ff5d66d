using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace ProductHub.Bench;

/// <summary>The figures of one run: printed as a table as they come, written as JSON at the end.</summary>
public sealed class Report
{
    private readonly List<(string Section, string Figure, string Value)> _rows = [];

    public JsonObject Json { get; } = new();

    public void Add(string section, string figure, double value, string unit, string? note = null)
    {
        var text = value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) + " " + unit + (note is null ? "" : $"  ({note})");
        _rows.Add((section, figure, text));
        Console.WriteLine($"  {section,-22} {figure,-48} {text}");
        Put(section, figure, JsonValue.Create(Math.Round(value, 3)));
    }

    public void Note(string section, string figure, string text)
    {
        _rows.Add((section, figure, text));
        Console.WriteLine($"  {section,-22} {figure,-48} {text}");
        Put(section, figure, JsonValue.Create(text));
    }

    /// <summary>p50/p95/p99/max (ms) and the count of a histogram recorded in microseconds.</summary>
    public void Percentiles(string section, string figure, LongHistogram micros, double? throughputPerSecond = null)
    {
        if (micros.TotalCount == 0)
        {
            Note(section, figure, "no samples");
            return;
        }
        double Ms(double percentile) => micros.GetValueAtPercentile(percentile) / 1000.0;
        var text = FormattableString.Invariant(
            $"p50 {Ms(50):F1}  p95 {Ms(95):F1}  p99 {Ms(99):F1}  max {micros.GetMaxValue() / 1000.0:F1} ms  (n={micros.TotalCount}") +
            (throughputPerSecond is { } t ? FormattableString.Invariant($", {t:F1}/s)") : ")");
        _rows.Add((section, figure, text));
        Console.WriteLine($"  {section,-22} {figure,-48} {text}");
        var node = new JsonObject
        {
            ["p50Ms"] = Math.Round(Ms(50), 3), ["p95Ms"] = Math.Round(Ms(95), 3), ["p99Ms"] = Math.Round(Ms(99), 3),
            ["maxMs"] = Math.Round(micros.GetMaxValue() / 1000.0, 3), ["count"] = micros.TotalCount,
        };
        if (throughputPerSecond is { } perSecond) node["perSecond"] = Math.Round(perSecond, 2);
        Put(section, figure, node);
    }

    /// <summary>
    /// The machine's load average (1, 5, 15 minutes) as a phase begins and when it ends (disposed): a figure measured
    /// while something else ran is not the hub's own, and the JSON says so beside it.
    /// </summary>
    public IDisposable Phase(string name)
    {
        var phase = Section("phases")[name] = new JsonObject { ["loadBefore"] = Machine.LoadAverage() };
        Console.WriteLine($"  (load average {Machine.LoadAverage()} as {name} begins)");
        return new PhaseEnd(() => phase["loadAfter"] = Machine.LoadAverage());
    }

    /// <summary>One target of the hub (docs/performance.md) against what this run measured, and whether it is met.</summary>
    public void Target(string name, double measured, string comparison, double target, string unit)
    {
        var met = comparison == ">=" ? measured >= target : measured < target;
        var text = FormattableString.Invariant($"{measured:0.##} {unit} (target {comparison} {target:0.##} {unit}): {(met ? "met" : "NOT met")}");
        _rows.Add(("targets", name, text));
        Console.WriteLine($"  {"targets",-22} {name,-48} {text}");
        Put("targets", name, new JsonObject
        {
            ["measured"] = Math.Round(measured, 3), ["target"] = target, ["comparison"] = comparison, ["unit"] = unit, ["met"] = met,
        });
    }

    private sealed class PhaseEnd(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    /// <summary>Each figure under its own key: two figures of one name would leave only the last in the JSON.</summary>
    private void Put(string section, string figure, JsonNode value)
    {
        var node = Section(section);
        var key = figure.Trim();
        if (node.ContainsKey(key)) throw new InvalidOperationException($"The figure '{key}' of {section} is reported twice");
        node[key] = value;
    }

    public static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(10).Ticks / 10, 3);

    public void PrintTable()
    {
        var width = _rows.Max(r => r.Figure.Length);
        Console.WriteLine();
        Console.WriteLine($"| Section | {"Figure".PadRight(width)} | Value |");
        Console.WriteLine($"|---|{new string('-', width + 2)}|---|");
        foreach (var (section, figure, value) in _rows) Console.WriteLine($"| {section} | {figure.PadRight(width)} | {value} |");
    }

    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".json");
        File.WriteAllText(file, Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }

    private JsonObject Section(string name)
    {
        if (Json[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        Json[name] = created;
        return created;
    }
}
