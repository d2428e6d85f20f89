//! What llmops knows of an endpoint's URL: its host, whether that is this machine, and how
//! the URL may be recorded or shown (credentials and queries left out). Used by the config's
//! checks, the engine and the commands alike, so it sits below all of them.

/// The host of `url`, lower-cased, and whether it is this machine.
pub fn host_of(url: &str) -> Option<(String, bool)> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let loopback = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host == "localhost" || host.ends_with(".localhost"),
    };
    Some((host, loopback))
}

/// A URL as it may be recorded or shown: user name, password, query and fragment removed
/// (they often carry keys). Text that is no URL is kept up to its first `?` or `#`, with
/// anything before an `@` dropped.
pub fn redact_url(url: &str) -> String {
    // Only a URL with a host is taken apart as one: `user:pw@host` parses as scheme `user`.
    match reqwest::Url::parse(url).ok().filter(|u| u.has_host()) {
        Some(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            let mut s = u.to_string();
            // `Url` adds a slash to a bare host; keep the spelling the user wrote.
            if !url.ends_with('/') && u.path() == "/" {
                s.pop();
            }
            s
        }
        None => {
            let cut = url.split(['?', '#']).next().unwrap_or_default();
            cut.rsplit_once('@').map(|(_, host)| host.to_owned()).unwrap_or_else(|| cut.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{host_of, redact_url};

    #[test]
    fn credentials_queries_and_fragments_are_never_shown() {
        assert_eq!(redact_url("https://user:pw@api.example.com/v1?key=abc#x"), "https://api.example.com/v1");
        assert_eq!(redact_url("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(redact_url("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/");
        assert_eq!(redact_url("user:pw@host/v1?k=1"), "host/v1");
    }

    #[test]
    fn hosts_and_loopback() {
        assert_eq!(host_of("https://API.example.com:8443/v1?k=1"), Some(("api.example.com".into(), false)));
        assert_eq!(host_of("http://127.0.0.1:8080/v1"), Some(("127.0.0.1".into(), true)));
        assert_eq!(host_of("http://[::1]:8080/v1"), Some(("::1".into(), true)));
        assert_eq!(host_of("http://localhost/v1"), Some(("localhost".into(), true)));
        assert_eq!(host_of("http://user:pw@evil.example/v1"), Some(("evil.example".into(), false)));
        assert_eq!(host_of("not a url"), None);
    }
}
