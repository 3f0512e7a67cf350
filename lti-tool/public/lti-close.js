/* LTI Dynamic Registration 1.0 §3.6: tell the LMS the registration is done ({subject: 'org.imsglobal.lti.close'}). */
(function () {
  'use strict';
  function close() {
    var target = window.opener || (window.parent !== window ? window.parent : null);
    if (target) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
  }
  var button = document.getElementById('lti-close');
  // On the admin's click rather than at once, so the "activate the Pending tool" note is read first.
  if (button) button.addEventListener('click', close);
})();
