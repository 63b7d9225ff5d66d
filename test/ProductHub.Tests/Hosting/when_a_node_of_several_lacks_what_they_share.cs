using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// A node started as one of several (ProductHub__Cluster__Nodes) must share the others' database and token keys, or
/// it would come up healthy as a hub apart: it stops at start and says what is missing.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class when_a_node_of_several_lacks_what_they_share
{
    [Fact]
    public async Task without_a_connection_string_it_stops_naming_the_shared_database()
    {
        var settings = new Dictionary<string, string?> { ["ProductHub__Cluster__Nodes"] = "3", ["ProductHub__Database__Embedded"] = "true" };
        TestTokens.Install(settings);

        var said = await Refusal(settings);

        said.ShouldContain("ProductHub__Cluster__Nodes is 3, but ConnectionStrings__ProductHub is not set");
    }

    [Fact]
    public async Task without_a_signing_key_or_identity_provider_it_stops_naming_them()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ProductHub__Cluster__Nodes"] = "2", ["ConnectionStrings__ProductHub"] = await OwnDatabase.CreateAsync(),
        };

        var said = await Refusal(settings);

        said.ShouldContain("neither ProductHub__Auth__SigningKey nor an identity provider");
    }

    private static async Task<string> Refusal(Dictionary<string, string?> settings)
    {
        await using var hub = HubProcess.Launch(settings, Path.GetTempPath());
        (await hub.ExitCodeAsync()).ShouldBe(1, hub.LogTail);
        hub.LogTail.ShouldContain("ProductHub did not start:");
        return hub.LogTail;
    }
}
