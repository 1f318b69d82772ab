"""Files go through Django's storage API; SHUPING_STORAGE=s3 swaps the shared directory for an
S3-compatible store by configuration alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _storages(tmp_path, **env):
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, check=True, capture_output=True,
        text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "shuping.settings", "SHUPING_DATA_DIR": str(tmp_path),
                        **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_default_store_is_the_shared_directory(tmp_path):
    assert _storages(tmp_path)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_store_by_configuration(tmp_path):
    storage = _storages(tmp_path, SHUPING_STORAGE="s3", SHUPING_S3_BUCKET="shuping-files",
                        SHUPING_S3_ENDPOINT_URL="https://oss.example.internal")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "shuping-files"
    assert storage["OPTIONS"]["endpoint_url"] == "https://oss.example.internal"
    assert storage["OPTIONS"]["default_acl"] == "private" and storage["OPTIONS"]["querystring_auth"] is True


def test_uploaded_evidence_and_job_results_use_the_storage_api():
    # No module writes uploaded bytes to MEDIA_ROOT by path any more (backup/restore excepted;
    # `shuping doctor` only probes that the local upload directory is writable).
    allowed = {"shuping/settings.py", "shuping/core/backup.py", "shuping/core/doctor.py"}
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "shuping").rglob("*.py")
                 if "MEDIA_ROOT" in p.read_text() and str(p.relative_to(ROOT)) not in allowed]
    assert offenders == []
