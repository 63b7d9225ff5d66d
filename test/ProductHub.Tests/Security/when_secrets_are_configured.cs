using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Security;

/// <summary>
/// An auth header given as a value (kept encrypted by the hub) or as a reference to an environment variable or a
/// file (read at every send), what answers say of it, and what a send does when it cannot be read.
/// </summary>
public sealed class when_secrets_are_configured(HubFixture fixture) : TestErpScenario(fixture)
{
    private readonly string _secret = $"Bearer {Guid.NewGuid():N}";
    private readonly string _variable = $"PRODUCTHUB_TEST_AUTH_{Guid.NewGuid():N}";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"producthub-secret-{Guid.NewGuid():N}");

    private Task<Answer> Instance(object http) => Api.Send("PUT", "/api/v1/erp-instances/erp-p100", new
    {
        channel = "http", http, retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.2 } },
    });

    private async Task DeliverTheBolt()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.ConfigurePlant("P100", new { name = "Stuttgart", erpInstance = "erp-p100" });
        await Api.Settled(a => a.Assign("P100", "BOLT"));
    }

    private Task<JsonNode> TheBoltsDelivery(Func<JsonNode, bool> when, string what) => Wait.Until(async () =>
        (await Api.Get("/api/v1/deliveries?part=BOLT")).Items.SingleOrDefault(d => when(d!)), what);

    private static bool Acknowledged(JsonNode delivery) => delivery["status"]!.GetValue<string>() == "acknowledged";

    private async Task<long> StoredSecrets(string id)
    {
        await using var connection = new NpgsqlConnection(EventStore.ConnectionStringOf(Host));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM producthub.mt_doc_storedsecret WHERE id = @id", connection);
        count.Parameters.AddWithValue("id", id);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public override Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task a_value_is_kept_encrypted_and_answered_only_as_set_with_a_keyed_fingerprint()
    {
        var created = await Instance(new { url = Erp.Url, authHeader = _secret });
        var again = await Instance(new { url = Erp.Url, authHeader = _secret });
        var changed = await Instance(new { url = Erp.Url, authHeader = _secret + "-rotated" });

        created.Status.ShouldBe(201, created.ToString());
        var secret = created.Json["authHeaderSecret"]!;
        secret["source"]!.GetValue<string>().ShouldBe("stored");
        var fingerprint = secret["fingerprint"]!.GetValue<string>();
        fingerprint.ShouldMatch("^hmac-sha256:[0-9a-f]{32}$");
        fingerprint.ShouldNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_secret)))[..32]);
        again.Json["authHeaderSecret"]!["fingerprint"]!.GetValue<string>().ShouldBe(fingerprint);
        again.Json["configuredAt"]!.GetValue<string>().ShouldBe(created.Json["configuredAt"]!.GetValue<string>(), "the same secret again changes nothing");
        changed.Json["authHeaderSecret"]!["fingerprint"]!.GetValue<string>().ShouldNotBe(fingerprint);
        (await DatabaseSearch.TablesHoldingAsync(EventStore.ConnectionStringOf(Host), _secret)).ShouldBeEmpty();
        (await StoredSecrets("erp/erp-p100:http.authHeader")).ShouldBe(1);

        await DeliverTheBolt();
        var delivery = await TheBoltsDelivery(Acknowledged, "the delivery to be acknowledged");
        Erp.Requests.ShouldAllBe(r => r.Authorization == _secret + "-rotated", delivery.ToString());
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task the_keys_folder_is_the_hubs_alone_and_holds_the_key_ring()
    {
        (await Instance(new { url = Erp.Url, authHeader = _secret })).Status.ShouldBe(201);

        File.GetUnixFileMode(KeysDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var keys = Directory.GetFiles(KeysDirectory, "key-*.xml");
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => !File.ReadAllText(k).Contains(_secret));
    }

    [Theory, InlineData("env"), InlineData("file")]
    public async Task a_reference_is_read_at_each_send_and_a_missing_one_fails_the_attempt_with_the_reason(string kind)
    {
        object from = kind == "env" ? new { env = _variable } : new { file = _file };
        await Instance(new { url = Erp.Url, authHeader = _secret });
        var answer = await Instance(new { url = Erp.Url, authHeaderFrom = from });

        answer.Status.ShouldBe(200, answer.ToString());
        answer.Json["hasAuthHeader"]!.GetValue<bool>().ShouldBeTrue();
        answer.Json["authHeaderSecret"]!["source"]!.GetValue<string>().ShouldBe(kind);
        answer.Json["authHeaderSecret"]!["reference"]!.GetValue<string>().ShouldBe(kind == "env" ? _variable : _file);
        (await StoredSecrets("erp/erp-p100:http.authHeader")).ShouldBe(0, "a reference replaces the stored value");
        await DeliverTheBolt();
        var reason = kind == "env" ? $"environment variable {_variable} is not set" : $"file {_file} cannot be read";
        var failed = await TheBoltsDelivery(d => d["lastError"]?.GetValue<string>().Contains(reason) == true, "an attempt failed for the reason");
        failed["status"]!.GetValue<string>().ShouldBe("failed", "to be retried");
        Erp.Requests.ShouldBeEmpty();

        // Secret managers write files with a final line break; that is no part of the value.
        if (kind == "env") Environment.SetEnvironmentVariable(_variable, _secret);
        else await File.WriteAllTextAsync(_file, _secret + "\n");

        await TheBoltsDelivery(Acknowledged, "the next attempt to be acknowledged");
        Erp.Requests.Single().Authorization.ShouldBe(_secret);
    }

    [Fact]
    public async Task a_webhook_reads_its_header_from_a_file_and_waits_while_it_is_missing()
    {
        var subscribed = await Api.Send("PUT", "/api/v1/webhooks/mes", new
        {
            url = Erp.Url, authHeaderFrom = new { file = _file }, retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.2 } },
        });
        subscribed.Json["authHeaderSecret"]!["source"]!.GetValue<string>().ShouldBe("file");
        (await Api.Release(Release())).Status.ShouldBe(201);

        await Wait.Until(async () => (await Api.Get("/api/v1/webhooks/mes")).Json["lastError"]?.GetValue<string>() is { } error &&
                                     error.Contains($"file {_file} cannot be read") ? error : null, "the webhook to report the missing file");
        Erp.Requests.ShouldBeEmpty();
        await File.WriteAllTextAsync(_file, _secret);

        await Wait.Until(() => Task.FromResult(Erp.Accepted.FirstOrDefault()), "the webhook to push");
        Erp.Requests.ShouldAllBe(r => r.Authorization == _secret);
    }

    [Fact]
    public async Task a_value_and_a_reference_together_or_a_bad_reference_is_refused_naming_the_field()
    {
        var both = await Instance(new { url = Erp.Url, authHeader = _secret, authHeaderFrom = new { env = _variable } });
        var badName = await Instance(new { url = Erp.Url, authHeaderFrom = new { env = "1-BAD" } });
        var relative = await Instance(new { url = Erp.Url, authHeaderFrom = new { file = "secrets/x" } });
        var neither = await Instance(new { url = Erp.Url, authHeaderFrom = new { } });
        var twoSources = await Instance(new { url = Erp.Url, authHeaderFrom = new { env = _variable, file = _file } });
        var hook = await Api.Send("PUT", "/api/v1/webhooks/mes", new { url = Erp.Url, authHeader = _secret, authHeaderFrom = new { file = _file } });

        both.ErrorFields.ShouldBe(["$.http.authHeaderFrom"], both.ToString());
        badName.ErrorFields.ShouldBe(["$.http.authHeaderFrom.env"], badName.ToString());
        relative.ErrorFields.ShouldBe(["$.http.authHeaderFrom.file"], relative.ToString());
        neither.ErrorFields.ShouldBe(["$.http.authHeaderFrom"], neither.ToString());
        twoSources.ErrorFields.ShouldBe(["$.http.authHeaderFrom"], twoSources.ToString());
        hook.ErrorFields.ShouldBe(["$.authHeaderFrom"], hook.ToString());
        (await Api.Get("/api/v1/erp-instances/erp-p100")).Status.ShouldBe(404);
        (await StoredSecrets("erp/erp-p100:http.authHeader")).ShouldBe(0);
    }
}
