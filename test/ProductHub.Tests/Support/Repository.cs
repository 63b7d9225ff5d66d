namespace ProductHub.Tests.Support;

/// <summary>The checkout the tests were built from: the folder holding <c>ProductHub.sln</c>, above the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProductHub.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException($"No ProductHub.sln above {AppContext.BaseDirectory}");
    }
}
