using ProductHub.Hub;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// A deployment that forgot its connection string: the built hub in the Production environment (what a child
/// process of the tests runs in) must stop at start and say what to set, not start a private, empty PostgreSQL.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class when_a_production_hub_has_no_database : IDisposable
{
    private readonly string _folder =
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-no-database-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task it_stops_at_start_naming_the_connection_string_and_the_embedded_setting()
    {
        var settings = new Dictionary<string, string?> { ["ProductHub__DataDirectory"] = _folder };
        TestTokens.Install(settings);

        await using var hub = HubProcess.Launch(settings, HubProcess.RepositoryRoot);

        (await hub.ExitCodeAsync()).ShouldBe(1);
        hub.LogTail.ShouldContain("ProductHub did not start: No database is configured.");
        hub.LogTail.ShouldContain($"Set ConnectionStrings__{HubHost.ConnectionStringName} to the PostgreSQL server");
        hub.LogTail.ShouldContain($"or set {HubHost.EmbeddedDatabaseVariable}=true");
        Directory.Exists(Path.Combine(_folder, "postgres")).ShouldBeFalse("no cluster may be made for a hub that was not asked to run one");
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}
