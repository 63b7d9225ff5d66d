using System.Security.Cryptography;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Security;

/// <summary>
/// An external identity provider next to the hub's own key: its keys come from its discovery document or a bare
/// JWKS, both served here on loopback; its role and plant claims have names of its own, mapped onto the hub's.
/// </summary>
public sealed class when_tokens_come_from_an_identity_provider(HubFixture fixture) : HubScenario(fixture), IAsyncLifetime
{
    private const string Audience = "api://producthub";
    private TestIdentityProvider _provider = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _provider = await TestIdentityProvider.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _provider.DisposeAsync();

    private async Task<IAlbaHost> HubTrusting(params (string Name, string Value)[] provider) => await OwnDatabase.HubAsync(
        await OwnDatabase.CreateAsync(),
        [.. provider, ("ProductHub__Auth__Audience", Audience), ("ProductHub__Auth__RoleClaim", "groups"), ("ProductHub__Auth__PlantClaim", "sites")]);

    [Fact]
    public async Task an_rs256_token_found_through_discovery_is_accepted_with_its_roles_and_plants_mapped()
    {
        await using var hub = await HubTrusting(("ProductHub__Auth__Authority", _provider.Issuer));
        var api = new HubApi(hub);
        (await api.ConfigurePlant("P100", new { name = "P100", erpInstance = "erp-p100" })).Status.ShouldBe(201);
        var erp = _provider.Rs256(new() { ["sub"] = "sap-p100", ["groups"] = new[] { "erp", "not-a-hub-role" }, ["sites"] = new[] { "P100" } });
        var auditor = _provider.Rs256(new() { ["sub"] = "audrey@example.com", ["groups"] = new[] { "auditor" } });

        (await api.As(auditor).Get("/api/v1/plants")).Status.ShouldBe(200);
        (await api.As(erp).Get("/api/v1/plants/P100/parts")).Status.ShouldBe(200);
        (await api.As(erp).Get("/api/v1/plants/P200/parts")).Status.ShouldBe(403);
        (await api.As(erp).Send("PUT", "/api/v1/units/BX6", new { dimension = "count", factor = 6 })).Status.ShouldBe(403);
        // The development key still works beside the provider, as the README's commands need.
        (await api.As(TestTokens.For("ada", [Roles.Admin])).Get("/api/v1/plants")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task an_es256_token_with_keys_from_a_bare_jwks_is_accepted()
    {
        await using var hub = await HubTrusting(("ProductHub__Auth__JwksUrl", _provider.JwksUrl), ("ProductHub__Auth__Issuer", _provider.Issuer));
        var api = new HubApi(hub);
        var admin = _provider.Es256(new() { ["sub"] = "ada@example.com", ["groups"] = new[] { "admin" } });

        var defined = await api.As(admin).Send("PUT", "/api/v1/units/BX6", new { dimension = "count", factor = 6 });

        defined.Status.ShouldBe(201, defined.ToString());
        (await api.As(admin).Get("/api/v1/units/BX6")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_provider_token_for_another_audience_from_another_issuer_unsigned_or_naming_nobody_is_401()
    {
        await using var hub = await HubTrusting(("ProductHub__Auth__Authority", _provider.Issuer));
        var api = new HubApi(hub);
        var claims = new Dictionary<string, object> { ["sub"] = "mallory", ["groups"] = new[] { "admin" } };

        (await api.As(_provider.Rs256(claims, audience: "api://elsewhere")).Get("/api/v1/plants")).Status.ShouldBe(401);
        (await api.As(_provider.Rs256(claims, issuer: "http://127.0.0.1:1/other")).Get("/api/v1/plants")).Status.ShouldBe(401);
        (await api.As(_provider.Rs256(new() { ["groups"] = new[] { "admin" } })).Get("/api/v1/plants")).Status.ShouldBe(401);
        (await api.As(_provider.SignedByStranger(claims)).Get("/api/v1/plants")).Status.ShouldBe(401);
        (await api.As(_provider.Rs256(claims)).Get("/api/v1/plants")).Status.ShouldBe(200);
    }

    /// <summary>An OpenID Connect provider's public face: a discovery document and a key set with one RSA and one EC key.</summary>
    private sealed class TestIdentityProvider : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly RsaSecurityKey _rsa = new(RSA.Create(2048)) { KeyId = "rsa-1" };
        private readonly ECDsaSecurityKey _ec = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };

        private TestIdentityProvider(WebApplication app) => _app = app;

        public string Issuer { get; private set; } = "";
        public string JwksUrl => Issuer + "/keys";

        public static async Task<TestIdentityProvider> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var provider = new TestIdentityProvider(builder.Build());
            provider._app.MapGet("/.well-known/openid-configuration", () => Results.Json(new { issuer = provider.Issuer, jwks_uri = provider.JwksUrl }));
            provider._app.MapGet("/keys", () => Results.Json(new { keys = new object[] { provider.PublicRsa(), provider.PublicEc() } }));
            await provider._app.StartAsync();
            provider.Issuer = provider._app.Urls.First();
            return provider;
        }

        public string Rs256(Dictionary<string, object> claims, string audience = Audience, string? issuer = null) =>
            Token(claims, new SigningCredentials(_rsa, SecurityAlgorithms.RsaSha256), audience, issuer);

        public string Es256(Dictionary<string, object> claims) => Token(claims, new SigningCredentials(_ec, SecurityAlgorithms.EcdsaSha256), Audience, null);

        /// <summary>Signed with a key of the same id that the provider does not publish.</summary>
        public string SignedByStranger(Dictionary<string, object> claims) =>
            Token(claims, new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256), Audience, null);

        private string Token(Dictionary<string, object> claims, SigningCredentials credentials, string audience, string? issuer) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Issuer, Audience = audience, Claims = claims, Expires = DateTime.UtcNow.AddHours(1), SigningCredentials = credentials,
            });

        private object PublicRsa()
        {
            var p = _rsa.Rsa.ExportParameters(false);
            return new { kty = "RSA", use = "sig", alg = "RS256", kid = _rsa.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
        }

        private object PublicEc()
        {
            var p = _ec.ECDsa.ExportParameters(false);
            return new { kty = "EC", use = "sig", alg = "ES256", kid = _ec.KeyId, crv = "P-256", x = Base64UrlEncoder.Encode(p.Q.X), y = Base64UrlEncoder.Encode(p.Q.Y) };
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
