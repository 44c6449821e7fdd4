# Drawn by the replicate harness; run `gnuplot figure1-accuracy.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Greedy next-symbol validity accuracy per architecture (Figure 1, left)"
set xlabel "architecture (1 = TF, 2 = LSTM, 3 = LSTM+NG)"
set ylabel "accuracy (higher is better)"
set grid
set key outside right top
set xrange [0.5:3.5]
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'figure1-accuracy.png'
plot 'figure1-accuracy.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'figure1-accuracy.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'figure1-accuracy.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.8503105590062111 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.7913043478260869 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'figure1-accuracy.svg'
plot 'figure1-accuracy.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'figure1-accuracy.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'figure1-accuracy.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.8503105590062111 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.7913043478260869 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
