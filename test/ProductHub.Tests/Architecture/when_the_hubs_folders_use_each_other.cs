using System.Text.RegularExpressions;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Architecture;

/// <summary>
/// Data flows one way (docs/architecture.md): PLM intake, canonical parts, plants, adapters, with shared pieces
/// below them. A folder of <c>src/Hub</c> that uses another's namespace while that one uses its own is a loop.
/// </summary>
public sealed partial class when_the_hubs_folders_use_each_other
{
    [Fact]
    public void no_two_folders_use_each_other()
    {
        var hub = Path.Combine(Repository.Root, "src", "Hub");
        var folders = Directory.GetDirectories(hub).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet()!;
        var uses = folders.ToDictionary(f => f!, f => Directory.EnumerateFiles(Path.Combine(hub, f!), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs") || file.EndsWith(".razor"))
            .SelectMany(file => HubNamespace().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(used => used != f && folders.Contains(used)).ToHashSet());

        uses.Count.ShouldBeGreaterThan(10);
        uses.SelectMany(a => a.Value.Where(b => uses[b].Contains(a.Key) && string.CompareOrdinal(a.Key, b) < 0).Select(b => $"{a.Key} <-> {b}"))
            .ShouldBeEmpty();
    }

    [GeneratedRegex(@"ProductHub\.Hub\.(\w+)")]
    private static partial Regex HubNamespace();
}
