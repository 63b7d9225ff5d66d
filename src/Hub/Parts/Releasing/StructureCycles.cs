namespace ProductHub.Hub.Parts.Releasing;

/// <summary>A cycle the release would close: the parts round it, and which of the new edges lie on it or beside it.</summary>
/// <param name="Path">Parent, child, ..., parent: runs through the first of <paramref name="Edges"/>.</param>
/// <param name="Edges">Indexes of the new edges on a cycle among the same parts, in the order they were given.</param>
public sealed record StructureCycle(IReadOnlyList<string> Path, IReadOnlyList<int> Edges);

/// <summary>
/// Cycles in the structure a release would leave: the stored edges above the package's parts and the package's new
/// edges, taken as one graph. The stored structure has none, so every cycle runs through a new edge; a new edge lies
/// on one exactly when its parent and child are strongly connected. One pass of Tarjan's algorithm finds the
/// components, then one search per component finds a cycle to show: linear in parts plus lines, however deep the
/// structure (a search per edge and ancestor grew with the cube of a chain's depth).
/// </summary>
public static class StructureCycles
{
    /// <param name="newEdges">Parent → child of every line the package adds.</param>
    /// <param name="storedParents">Stored where-used edges, child → parents, above the package's parts.</param>
    public static IReadOnlyList<StructureCycle> Find(
        IReadOnlyList<(string Parent, string Child)> newEdges,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> storedParents)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var children = new List<List<int>>();
        int Id(string part)
        {
            if (ids.TryGetValue(part, out var id)) return id;
            ids[part] = id = names.Count;
            names.Add(part);
            children.Add([]);
            return id;
        }
        var edges = newEdges.Select(e => (Parent: Id(e.Parent), Child: Id(e.Child))).ToList();
        foreach (var (parent, child) in edges) children[parent].Add(child);
        foreach (var (child, parents) in storedParents)
            foreach (var parent in parents) children[Id(parent)].Add(Id(child));

        var component = Components(children);
        var cycles = new List<(List<string> Path, List<int> Edges)>();
        var cycleOfComponent = new Dictionary<int, int>();
        for (var i = 0; i < edges.Count; i++)
        {
            var (parent, child) = edges[i];
            if (parent == child)
            {
                cycles.Add(([names[parent], names[child]], [i]));
            }
            else if (component[parent] == component[child])
            {
                if (!cycleOfComponent.TryGetValue(component[parent], out var known))
                {
                    cycleOfComponent[component[parent]] = known = cycles.Count;
                    var path = PathWithin(children, component, child, parent).Select(p => names[p]).Prepend(names[parent]).ToList();
                    cycles.Add((path, []));
                }
                cycles[known].Edges.Add(i);
            }
        }
        return cycles.Select(c => new StructureCycle(c.Path, c.Edges)).ToList();
    }

    /// <summary>Tarjan's strongly connected components, iteratively: a 5000-level chain must not exhaust the stack.</summary>
    private static int[] Components(List<List<int>> children)
    {
        var count = children.Count;
        var index = Enumerable.Repeat(-1, count).ToArray();
        var low = new int[count];
        var component = Enumerable.Repeat(-1, count).ToArray();
        var onStack = new bool[count];
        var stack = new Stack<int>();
        var calls = new Stack<(int Node, int Next)>();
        var visited = 0;
        var components = 0;
        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0) continue;
            Enter(root);
            while (calls.TryPop(out var call))
            {
                var (node, next) = call;
                if (next < children[node].Count)
                {
                    calls.Push((node, next + 1));
                    var child = children[node][next];
                    if (index[child] < 0) Enter(child);
                    else if (onStack[child]) low[node] = Math.Min(low[node], index[child]);
                    continue;
                }
                if (low[node] == index[node])
                {
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component[member] = components;
                    } while (member != node);
                    components++;
                }
                if (calls.TryPeek(out var caller)) low[caller.Node] = Math.Min(low[caller.Node], low[node]);
            }
        }
        return component;

        void Enter(int node)
        {
            index[node] = low[node] = visited++;
            stack.Push(node);
            onStack[node] = true;
            calls.Push((node, 0));
        }
    }

    /// <summary>The shortest path from one part to another of the same component (breadth first), both ends included.</summary>
    private static IEnumerable<int> PathWithin(List<List<int>> children, int[] component, int from, int to)
    {
        var cameFrom = new Dictionary<int, int> { [from] = from };
        var queue = new Queue<int>([from]);
        while (queue.TryDequeue(out var node) && node != to)
        {
            foreach (var child in children[node].Where(c => component[c] == component[from] && !cameFrom.ContainsKey(c)))
            {
                cameFrom[child] = node;
                queue.Enqueue(child);
            }
        }
        var path = new List<int> { to };
        for (var step = to; step != from; step = cameFrom[step]) path.Add(cameFrom[step]);
        path.Reverse();
        return path;
    }
}
