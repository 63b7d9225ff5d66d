using ProductHub.Hub.Workbench.Shell;
using ProductHub.Projections.Boms;

namespace ProductHub.Hub.Workbench.Parts;

public enum LineDifference { Same, Added, Removed, Changed }

/// <summary>A line of the BOM tree, keyed by its path from the top part; <c>Changes</c> says what differs from the compared BOM.</summary>
public sealed record BomNode(string Key, ExplodedLine Line, LineDifference Difference, IReadOnlyList<string> Changes, List<BomNode> Children)
{
    public string Label => Difference switch
    {
        LineDifference.Added => "added",
        LineDifference.Removed => "removed",
        LineDifference.Changed => "changed: " + string.Join(", ", Changes),
        _ => "",
    };
}

/// <summary>
/// Turns an indented explosion (depth first, each line with its path) into a tree, optionally against a second
/// explosion: lines only in the first are added, lines only in the second are kept as removed, lines in both whose
/// quantity, unit, child revision or effectivity differ are changed.
/// </summary>
public static class BomTree
{
    public static IReadOnlyList<BomNode> Build(IReadOnlyList<ExplodedLine> lines, IReadOnlyList<ExplodedLine>? comparedWith)
    {
        var before = comparedWith?.ToDictionary(Key);
        var nodes = new Dictionary<string, BomNode>();
        var roots = new List<BomNode>();
        foreach (var line in lines)
        {
            var key = Key(line);
            var (difference, changes) = before is null ? (LineDifference.Same, [])
                : before.TryGetValue(key, out var old) ? Compare(old, line)
                : (LineDifference.Added, new List<string>());
            Attach(new BomNode(key, line, difference, changes, []));
        }
        foreach (var removed in comparedWith?.Where(l => !nodes.ContainsKey(Key(l))) ?? [])
        {
            Attach(new BomNode(Key(removed), removed, LineDifference.Removed, [], []));
        }
        Sort(roots);
        return roots;

        void Attach(BomNode node)
        {
            nodes[node.Key] = node;
            var parent = node.Line.Path.Count > 2 ? nodes.GetValueOrDefault(string.Join('/', node.Line.Path.SkipLast(1))) : null;
            (parent?.Children ?? roots).Add(node);
        }
    }

    public static IEnumerable<BomNode> Flatten(IEnumerable<BomNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));

    private static string Key(ExplodedLine line) => string.Join('/', line.Path);

    private static (LineDifference, List<string>) Compare(ExplodedLine old, ExplodedLine now)
    {
        var changes = new List<string>();
        if (old.Quantity != now.Quantity || old.Unit != now.Unit) changes.Add($"quantity {old.Quantity} {old.Unit} → {now.Quantity} {now.Unit}");
        if (old.Revision != now.Revision) changes.Add($"revision {old.Revision ?? "none"} → {now.Revision ?? "none"}");
        if (old.EffectiveFrom != now.EffectiveFrom || old.EffectiveTo != now.EffectiveTo)
            changes.Add($"effective {Show.Period(old.EffectiveFrom, old.EffectiveTo)} → {Show.Period(now.EffectiveFrom, now.EffectiveTo)}");
        return (changes.Count == 0 ? LineDifference.Same : LineDifference.Changed, changes);
    }

    private static void Sort(List<BomNode> nodes)
    {
        nodes.Sort((a, b) => a.Line.FindNumber.CompareTo(b.Line.FindNumber));
        foreach (var node in nodes) Sort(node.Children);
    }
}
