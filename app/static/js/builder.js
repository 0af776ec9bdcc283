// The lesson plan builder, where JavaScript is on: a running timeline, an automatic
// save of the draft while the trainer types (the server checks the plan and answers
// with what is off), and drag-and-drop of activities. Without JavaScript the form's
// own buttons do all of this.
(function () {
  "use strict";
  var form = document.getElementById("builder");
  if (!form) { return; }
  var list = document.getElementById("activity-rows");
  var status = document.getElementById("autosave-status");
  var lock = document.getElementById("lock_version");
  var timer = null;
  var inFlight = null;
  var dirty = false;

  function rows() { return Array.prototype.slice.call(list.querySelectorAll(".activity-row")); }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }

  function updateTimeline() {
    var start = 0;
    rows().forEach(function (row, index) {
      var input = row.querySelector(".activity-minutes");
      var minutes = Math.max(0, parseInt(input.value, 10) || 0);
      row.querySelector(".activity-number").textContent = String(index + 1);
      row.querySelector(".activity-time").textContent = start + "–" + (start + minutes);
      row.querySelector(".activity-order").value = String(index);
      row.querySelectorAll("button[name=op]").forEach(function (button) {
        button.value = button.value.split(":")[0] + ":" + index;
      });
      start += minutes;
    });
    var duration = parseInt(document.getElementById("duration_minutes").value, 10) || 0;
    document.getElementById("timeline-total").textContent =
      format(form.dataset.total, { total: start, duration: duration });
  }

  function showProblems(problems) {
    var box = document.getElementById("problems");
    box.textContent = "";
    if (!problems.length) {
      var p = document.createElement("p");
      p.className = "problem-none";
      p.textContent = form.dataset.none;
      box.appendChild(p);
      return;
    }
    var ul = document.createElement("ul");
    problems.forEach(function (problem) {
      var li = document.createElement("li");
      li.className = "problem problem-" + problem.severity;
      var strong = document.createElement("strong");
      strong.textContent = (problem.severity === "error" ? form.dataset.errorLabel : form.dataset.warningLabel) + ": ";
      li.appendChild(strong);
      li.appendChild(document.createTextNode(problem.message));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function applyIds(result) {
    var objectives = result.objective_ids.slice();
    form.querySelectorAll(".objective-row").forEach(function (row) {
      var text = row.querySelector("input[type=text], input:not([type])");
      var id = row.querySelector("input[type=hidden]");
      id.value = text.value.trim() ? String(objectives.shift() || "") : "";
    });
    rows().forEach(function (row, index) {
      row.querySelector("input[name$='-id']").value = String(result.activity_ids[index] || "");
    });
  }

  function save() {
    timer = null;
    if (inFlight) { dirty = true; return inFlight; }
    dirty = false;
    updateTimeline();
    status.textContent = form.dataset.saving;
    inFlight = fetch(form.dataset.autosave, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (result) {
        status.textContent = result.message;
        status.className = "autosave-status " + (result.saved ? "ok" : "failed");
        if (result.saved) {
          lock.value = String(result.lock_version);
          applyIds(result);
          showProblems(result.problems);
        }
      });
    }).catch(function () {
      status.textContent = form.dataset.failed;
      status.className = "autosave-status failed";
    }).then(function () {
      inFlight = null;
      if (dirty) { schedule(); }
    });
    return inFlight;
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("activity-minutes") || event.target.id === "duration_minutes") {
      updateTimeline();
    }
    schedule();
  });
  form.addEventListener("change", schedule);

  // A button press (save, add, move, delete) waits for an automatic save under way,
  // so it carries the lock counter that save produced.
  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
    }
  });

  // Drag and drop: the hidden order fields carry the new order to the server.
  var dragged = null;
  rows().forEach(function (row) {
    var handle = row.querySelector(".drag-handle");
    handle.hidden = false;
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.index);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      dragged = null;
      updateTimeline();
      schedule();
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? row.nextSibling : row);
    });
  });
})();
