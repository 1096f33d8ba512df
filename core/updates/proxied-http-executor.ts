import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';

/**
 * electron-updater's requests on Node's HTTP stack with the settings model downloads follow, instead of
 * Chromium's: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and Node's CAs with NODE_EXTRA_CA_CERTS (a proxy
 * that inspects TLS). VERBATIM_UPDATES_CA adds a CA for a self-hosted feed, as VERBATIM_POOL_CA does
 * for a self-hosted pool.
 */
export class ProxiedHttpExecutor extends HttpExecutor<http.ClientRequest> {
  private readonly ca: string[] | undefined;
  /** One tunnel agent per proxy, kept: the differential downloader makes many requests. */
  private readonly agents = new Map<string, HttpsProxyAgent<string>>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    super();
    this.ca = env.VERBATIM_UPDATES_CA ? [...rootCertificates, readFileSync(env.VERBATIM_UPDATES_CA, 'utf8')] : undefined;
  }

  /** What electron-updater's own executor adds to the base: a file download, with its checksum checked as it streams. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: https.RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null },
        0,
      );
    });
  }

  createRequest(options: https.RequestOptions, callback: (response: http.IncomingMessage) => void): http.ClientRequest {
    const secure = options.protocol !== 'http:';
    if (this.ca && secure) options.ca = this.ca;
    const proxy = proxyFor(options.hostname ?? options.host ?? '', secure, this.env);
    if (proxy) {
      if (!this.agents.has(proxy)) this.agents.set(proxy, new HttpsProxyAgent(proxy));
      options.agent = this.agents.get(proxy);
    }
    return (secure ? https.request : http.request)(options, callback);
  }
}

/** The proxy for a host, as undici's EnvHttpProxyAgent reads the same variables: none for hosts NO_PROXY names. */
export function proxyFor(host: string, secure: boolean, env: NodeJS.ProcessEnv): string | null {
  const proxy = secure ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return null;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const entry of (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return null;
    const name = entry.replace(/:\d+$/, '').replace(/^\*?\./, '').toLowerCase();
    if (bare === name || bare.endsWith(`.${name}`)) return null;
  }
  return proxy;
}
