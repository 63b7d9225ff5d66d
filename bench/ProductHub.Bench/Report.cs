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
        Section(section)[figure] = JsonValue.Create(Math.Round(value, 3));
    }

    public void Note(string section, string figure, string text)
    {
        _rows.Add((section, figure, text));
        Console.WriteLine($"  {section,-22} {figure,-48} {text}");
        Section(section)[figure] = text;
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
        Section(section)[figure] = node;
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
