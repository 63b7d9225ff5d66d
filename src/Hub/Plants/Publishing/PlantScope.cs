using ProductHub.Domain.Plants;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// The parts a plant receives: its assigned parts and everything in their current structure that the plant
/// builds with (substitutes included), except what it excludes; nothing below a part it buys; phantoms are
/// blown through, so they are passed through but not sent themselves.
/// </summary>
public sealed class PlantScope
{
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);
    private readonly HashSet<string> _items = new(StringComparer.Ordinal);

    public IReadOnlySet<string> Items => _items;

    /// <summary>Every part number the computation looked at, found or not: a change to any of them may change the scope.</summary>
    public IReadOnlySet<string> LookedAt => _lookedAt;

    private readonly HashSet<string> _lookedAt = new(StringComparer.Ordinal);

    public static async Task<PlantScope> ComputeAsync(IEnumerable<string> roots, PlantRules rules, PartCache parts)
    {
        var scope = new PlantScope();
        var level = roots.Where(r => !rules.Excludes(r)).Distinct().ToList();
        while (level.Count > 0)
        {
            await parts.EnsureAsync(level);
            var next = new List<string>();
            foreach (var partNumber in level)
            {
                scope._lookedAt.Add(partNumber);
                if (scope._children.ContainsKey(partNumber)) continue;
                var (item, children) = NodeOf(partNumber, parts[partNumber], rules);
                if (children is null) continue;
                scope._children[partNumber] = children;
                if (item) scope._items.Add(partNumber);
                next.AddRange(children);
            }
            level = next.Distinct().ToList();
        }
        return scope;
    }

    /// <summary>Whether this part, as it is now, still contributes to the scope exactly what it did when the scope was computed.</summary>
    public bool StillSees(string partNumber, PartView? part, PlantRules rules)
    {
        var (item, children) = NodeOf(partNumber, part, rules);
        if (!_children.TryGetValue(partNumber, out var before)) return children is null;
        return children is not null && item == _items.Contains(partNumber) && before.SequenceEqual(children);
    }

    /// <summary>
    /// What one part contributes: whether it is an item of the plant (phantoms are blown through, not sent), and the
    /// parts it is built from in the plant (none below a bought part); null children when it has no released revision.
    /// </summary>
    private static (bool Item, List<string>? Children) NodeOf(string partNumber, PartView? part, PlantRules rules)
    {
        if (part is not { CurrentRevision: { } current }) return (false, null);
        var item = !rules.BlowsThrough(partNumber, part.Type);
        if (rules.ProcurementOf(partNumber, part.Type) != Procurement.Make) return (item, []);
        return (item, part.FindRevision(current)!.Bom
            .SelectMany(l => UsedFor(l.PartNumber, rules))
            .Where(c => !rules.Excludes(c))
            .Distinct()
            .ToList());
    }

    /// <summary>The given parts ordered children first, so a part is decided after everything it is built from.</summary>
    public IReadOnlyList<string> ChildrenFirst(IEnumerable<string> partNumbers)
    {
        var wanted = partNumbers.ToHashSet(StringComparer.Ordinal);
        var ordered = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in wanted.Order(StringComparer.Ordinal)) Visit(part);
        return ordered;

        void Visit(string part)
        {
            if (!visited.Add(part)) return;
            foreach (var child in _children.GetValueOrDefault(part) ?? []) Visit(child);
            if (wanted.Contains(part)) ordered.Add(part);
        }
    }

    /// <summary>The parts a line may use: its substitutes, and itself unless a substitution without dates replaces it always.</summary>
    private static IEnumerable<string> UsedFor(string partNumber, PlantRules rules)
    {
        var substitutions = rules.Substitutions.Where(s => s.PartNumber == partNumber).ToList();
        var alwaysReplaced = substitutions.Any(s => s is { EffectiveFrom: null, EffectiveTo: null });
        return substitutions.Select(s => s.Substitute).Concat(alwaysReplaced ? [] : [partNumber]);
    }

    /// <summary>The items whose plant data may change when these parts change: themselves, and everything above and below them.</summary>
    public IReadOnlyCollection<string> AffectedBy(IReadOnlyCollection<string> changed)
    {
        var related = new HashSet<string>(changed.Where(_children.ContainsKey), StringComparer.Ordinal);
        Walk(related.ToList(), p => _children.GetValueOrDefault(p) ?? []);
        var parents = _children.SelectMany(e => e.Value.Select(c => (Child: c, Parent: e.Key))).ToLookup(e => e.Child, e => e.Parent);
        Walk(changed.Where(_children.ContainsKey).ToList(), p => parents[p]);
        return related.Where(_items.Contains).ToList();

        void Walk(List<string> start, Func<string, IEnumerable<string>> next)
        {
            var queue = new Queue<string>(start);
            var seen = new HashSet<string>(start, StringComparer.Ordinal);
            while (queue.TryDequeue(out var part))
            {
                foreach (var other in next(part))
                {
                    if (!seen.Add(other)) continue;
                    related.Add(other);
                    queue.Enqueue(other);
                }
            }
        }
    }
}
