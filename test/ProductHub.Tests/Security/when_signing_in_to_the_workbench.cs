using Alba;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Security;

/// <summary>The workbench takes the API's token once, at sign-in, and keeps the caller in a cookie.</summary>
public sealed class when_signing_in_to_the_workbench(HubFixture fixture) : HubScenario(fixture)
{
    private sealed record SignInForm(string Cookie, string FieldName, string RequestToken);

    private async Task<SignInForm> OpenTheForm()
    {
        var page = await Host.Scenario(s =>
        {
            s.Get.Url("/ui/sign-in");
            s.WithRequestHeader("Authorization", "");
            s.ContentTypeShouldBe("text/html; charset=utf-8");
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("""<label for="token">""");
        var field = SignInPage.AntiforgeryField().Match(html);
        var cookie = page.Context.Response.Headers.SetCookie.ToString().Split(';')[0];
        return new SignInForm(cookie, field.Groups["name"].Value, field.Groups["value"].Value);
    }

    private Task<IScenarioResult> SignIn(SignInForm form, string token, string returnUrl = "/ui", string? antiforgery = null) =>
        Host.Scenario(s =>
        {
            s.Post.FormData(new Dictionary<string, string>
            {
                [form.FieldName] = antiforgery ?? form.RequestToken, ["token"] = token, ["returnUrl"] = returnUrl,
            }).ToUrl("/ui/sign-in");
            s.WithRequestHeader("Authorization", "");
            s.WithRequestHeader("Cookie", form.Cookie);
            s.IgnoreStatusCode();
        });

    [Fact]
    public async Task a_valid_token_signs_in_and_the_cookie_then_authenticates_workbench_requests()
    {
        var form = await OpenTheForm();

        var signedIn = await SignIn(form, TestTokens.For("ada", [Roles.Admin]), returnUrl: "/ui/exceptions");

        signedIn.Context.Response.StatusCode.ShouldBe(302);
        signedIn.Context.Response.Headers.Location.ToString().ShouldBe("/ui/exceptions");
        var cookie = signedIn.Context.Response.Headers.SetCookie.ToString();
        cookie.ShouldContain("producthub.workbench=");
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        var signedOut = await Host.Scenario(s =>
        {
            s.Post.Url("/ui/sign-out");
            s.WithRequestHeader("Authorization", "");
            s.WithRequestHeader("Cookie", cookie.Split(';')[0]);
            s.StatusCodeShouldBe(302);
        });
        signedOut.Context.Response.Headers.Location.ToString().ShouldBe("/ui/sign-in");
    }

    [Fact]
    public async Task a_token_from_elsewhere_or_a_forged_form_does_not_sign_in()
    {
        var form = await OpenTheForm();
        var foreign = AccessTokens.Issue(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[48]), "mallory", [Roles.Admin]);

        var refused = await SignIn(form, foreign);
        var forged = await SignIn(form, TestTokens.For("ada", [Roles.Admin]), antiforgery: "forged");

        refused.Context.Response.StatusCode.ShouldBe(400);
        (await refused.ReadAsTextAsync()).ShouldContain("role=\"alert\"");
        refused.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("producthub.workbench=");
        forged.Context.Response.StatusCode.ShouldBe(400);
        forged.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("producthub.workbench=");
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/ui\r\nSet-Cookie: producthub.workbench=forged")]
    [InlineData("/\n/evil.example")]
    public async Task after_sign_in_it_only_goes_back_to_a_page_of_this_hub(string returnUrl)
    {
        var signedIn = await SignIn(await OpenTheForm(), TestTokens.For("ada", [Roles.Admin]), returnUrl);

        signedIn.Context.Response.StatusCode.ShouldBe(302);
        signedIn.Context.Response.Headers.Location.ToString().ShouldBe("/ui");
    }

    [Fact]
    public async Task a_token_that_names_nobody_does_not_sign_in()
    {
        var signedIn = await SignIn(await OpenTheForm(), TestTokens.Signed(new() { [HubClaims.Role] = new[] { Roles.Admin } }));

        signedIn.Context.Response.StatusCode.ShouldBe(400);
        signedIn.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("producthub.workbench=");
    }
}
