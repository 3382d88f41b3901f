using System.Security.Claims;
using Apportionment.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Http;

namespace Apportionment.Api.Tests.Demo;

public sealed class SystemCallerTests
{
    [Fact]
    public void Outside_a_request_there_is_no_caller_and_no_admin()
    {
        var caller = new Caller(new HttpContextAccessor());
        Assert.False(caller.IsAdmin);
        Assert.Null(caller.KeyId);
    }

    [Fact]
    public async Task The_system_identity_is_admin_only_until_disposed_and_follows_the_async_flow()
    {
        var caller = new Caller(new HttpContextAccessor());
        using (SystemCaller.Begin("test"))
        {
            await Task.Yield();
            Assert.True(caller.IsAdmin);
            Assert.Equal("system:test", caller.KeyName);
            Assert.Null(caller.KeyId);
            Assert.Null(caller.Council);
            caller.EnsureActsFor("MDDC", "do anything");
        }

        Assert.False(caller.IsAdmin);
    }

    [Fact]
    public void Within_a_request_the_system_identity_is_ignored()
    {
        var accessor = new HttpContextAccessor
        {
            HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity()) }
        };
        var caller = new Caller(accessor);
        using (SystemCaller.Begin("test"))
        {
            Assert.False(caller.IsAdmin);
            Assert.Equal("system", caller.KeyName);
            Assert.Throws<Apportionment.Api.Infrastructure.Errors.ForbiddenException>(
                () => caller.EnsureActsFor("MDDC", "approve agreements"));
        }

        accessor.HttpContext = null;
    }

    [Fact]
    public void A_purpose_is_required() => Assert.Throws<ArgumentException>(() => SystemCaller.Begin(" "));
}
