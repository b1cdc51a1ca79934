// An integrator's program, written against the generated types only: apply for a case with
// the README's application body, read the case, print a license's PDF. Compiled under
// `strict` and run against the local stack by tests/e2e/test_typescript_client.py.
//
//   ONEWINDOW_API=http://127.0.0.1:8000 ONEWINDOW_TOKEN=… npx tsx tests/integrator.ts apply
//   … read <caseNo>
//   … print <licenseId> <file.pdf>
//
// Each step prints one JSON line on stdout; an error answer prints its status and code on
// stderr and exits 1.
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createApiClient, type Schemas } from "../src/api/client";

const PDF_MAGIC = "%PDF-";

function environment(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const token = environment("ONEWINDOW_TOKEN");
const api = createApiClient({ baseUrl: environment("ONEWINDOW_API"), accessToken: () => token });

function fail(step: string, response: Response, error: Schemas["Error"] | undefined): never {
  console.error(`${step}: HTTP ${response.status} ${error?.error.code ?? ""} ${error?.error.message ?? ""}`);
  process.exit(1);
}

async function apply(): Promise<void> {
  // README.md, "Walk through one case with curl": the body as the curl sends it, with an
  // Idempotency-Key of its own (a retry of this run replays this run's case, no other).
  const { data, error, response } = await api.POST("/cases", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: {
      itemCode: "00020101200044030000000011440300007542808J01",
      channel: "web",
      applicant: { type: "legal", name: "深圳小吃有限公司", idNumber: "91440300MA5FXK7Q3T" },
      form: { businessName: "小吃店", address: "深圳市南山区科技园1号", category: "餐饮服务" },
    },
  });
  if (!data) fail("apply", response, error);
  console.log(JSON.stringify({
    step: "apply", caseNo: data.caseNo, status: data.status, queryPassword: data.queryPassword,
    itemVersion: data.itemVersion, location: response.headers.get("Location"),
  }));
}

async function read(caseNo: string): Promise<void> {
  const { data, error, response } = await api.GET("/cases/{caseNo}", {
    params: { path: { caseNo } },
  });
  if (!data) fail("read", response, error);
  const decisions = (data.timeline ?? []).flatMap((entry) => entry.decision ? [entry.decision] : []);
  console.log(JSON.stringify({
    step: "read", caseNo: data.caseNo, status: data.status, statusLabel: data.statusLabel,
    itemCode: data.itemCode, itemVersion: data.itemVersion, licenseId: data.licenseId ?? null,
    applicant: data.applicant.name, decisions,
  }));
}

async function print(licenseId: string, file: string): Promise<void> {
  const { data, error, response } = await api.GET("/licenses/{licenseId}/print.pdf", {
    params: { path: { licenseId } },
    // The 200's one media type, as the document gives it.
    headers: { Accept: "application/pdf" },
    parseAs: "arrayBuffer",
  });
  if (!data) fail("print", response, error);
  const bytes = new Uint8Array(data);
  await writeFile(file, bytes);
  console.log(JSON.stringify({
    step: "print", licenseId, bytes: bytes.byteLength,
    contentType: response.headers.get("Content-Type"),
    magic: new TextDecoder("latin1").decode(bytes.subarray(0, PDF_MAGIC.length)),
  }));
}

const [step, ...args] = process.argv.slice(2);
switch (step) {
  case "apply":
    await apply();
    break;
  case "read":
    await read(args[0] ?? environment("ONEWINDOW_CASE"));
    break;
  case "print":
    await print(args[0] ?? environment("ONEWINDOW_LICENSE"), args[1] ?? "license.pdf");
    break;
  default:
    console.error("usage: integrator.ts apply | read <caseNo> | print <licenseId> [file.pdf]");
    process.exit(2);
}
